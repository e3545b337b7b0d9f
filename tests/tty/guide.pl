#!/usr/bin/perl
# The text tools of tests/tty/console_guide.sh (not a test itself): the
# masks that make a captured screen the same from run to run, and the
# splicing of captures into the fenced blocks of the user guide.
#
#   guide.pl mask            a screen on stdin, masked on stdout
#   guide.pl splice DOC DIR  DOC with the body of every block marked
#                            "<!-- capture: NAME -->" replaced by DIR/NAME,
#                            on stdout
#
# The masks (docs/development.md lists them; the note at the top of
# docs/console.md tells the reader) replace only what changes from run to
# run on a database freshly made from the demo data, keeping every
# character's column:
#   - dates and times: 2026-12-07 -> YYYY-MM-DD, 12-07 08:30 -> MM-DD hh:mm,
#     08:30:26 -> hh:mm:ss, 08:30 -> hh:mm (the demo cases are placed
#     relative to the day the data is loaded), but not the end of a range
#     of office hours (8:30-17:00);
#   - the year of a case number, LW-2026-000957 -> LW-YYYY-000957, and the
#     serial of a case of the demo data (serial <= $MQ_GUIDE_DEMO_CASES):
#     LW-YYYY-NNNNNN (they are numbered in the order of their times, which
#     depends on the day's place in the working calendar); the cases the
#     test makes keep their serials;
#   - a countdown or overdue time in a list cell (4天13小时, 超期2天):
#     N天N小时 or 超期N天N小时, the cell padded to its width.
#
# splice fails (exit 2, a message on stderr) when a fenced block has no
# marker, a marker is not followed by a fence, a marked capture is missing
# or a capture is not used: every block of the guide comes from the test.
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));

sub width { my $s = shift; my $w = () = $s =~ /./g; $w += () = $s =~ /[\p{Ea=W}\p{Ea=F}]/g; return $w; }

my $DUR = qr/(?:\d+天(?:\d+小时)?|\d+小时(?:\d+分)?|\d+分钟|不足1分钟)/;

sub mask_line {
	local $_ = shift;
	my $demo = $ENV{MQ_GUIDE_DEMO_CASES} // 0;
	# (No \b: a Chinese character is a word character too.)
	s/LW-\d{4}-(\d{6,})/'LW-YYYY-' . ($1 <= $demo ? 'N' x length($1) : $1)/ge;
	s/(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)/YYYY-MM-DD/g;
	s/(?<![\d-])\d{2}-\d{2}(?= \d{2}:\d{2}(?!\d))/MM-DD/g;
	s/(?<![\d:])\d{2}:\d{2}:\d{2}(?![\d:])/hh:mm:ss/g;
	# (Not the end of a range of hours, 8:30-17:00: office hours, not a time.)
	s/(?<![\d:-])\d{2}:\d{2}(?![\d:])/hh:mm/g;
	# A countdown cell: after a blank, followed by the blanks up to the next column.
	s{(?<=\s)(超期)?($DUR)( +)(?=\S)}{
		my $over = $1 // '';
		my $room = width($over . $2) + length($3);
		my $p = $over . 'N天N小时';
		$p = $over . 'N天' if width($p) >= $room;
		$p . ' ' x ($room - width($p));
	}ge;
	return $_;
}

sub slurp { my $f = shift; open(my $h, '<', $f) or die "guide.pl: $f: $!\n"; local $/; my $t = <$h>; return $t; }

my $cmd = shift // '';
if ($cmd eq 'mask') {
	while (my $l = <STDIN>) {
		chomp $l;
		print mask_line($l), "\n";
	}
	exit 0;
}
die "usage: guide.pl mask | guide.pl splice DOC DIR\n" unless $cmd eq 'splice' && @ARGV == 2;
my ($doc, $dir) = @ARGV;
my @lines = split /\n/, slurp($doc), -1;
pop @lines if @lines && $lines[-1] eq '';
my (@out, %used, @err);
for (my $i = 0; $i < @lines; $i++) {
	my $l = $lines[$i];
	if ($l =~ /^<!-- capture: ([\w-]+) -->$/) {
		my $name = $1;
		push @out, $l;
		if ($i + 1 >= @lines || $lines[$i + 1] !~ /^```$/) {
			push @err, "$doc:" . ($i + 1) . ": the capture marker of $name is not followed by a fence";
			next;
		}
		my $end = $i + 2;
		$end++ while $end < @lines && $lines[$end] ne '```';
		if ($end >= @lines) {
			push @err, "$doc:" . ($i + 2) . ": the block of $name is not closed";
			last;
		}
		if (!-f "$dir/$name") {
			push @err, "$doc:" . ($i + 1) . ": no capture named $name (tests/tty/console_guide.sh makes them)";
			push @out, @lines[$i + 1 .. $end];
		} else {
			$used{$name} = 1;
			my $body = slurp("$dir/$name");
			$body =~ s/\n\z//;
			push @out, '```', split(/\n/, $body, -1), '```';
		}
		$i = $end;
	} elsif ($l =~ /^```/) {
		push @err, "$doc:" . ($i + 1) . ": a fenced block without a capture marker (<!-- capture: NAME -->)";
		push @out, $l;
		my $end = $i + 1;
		$end++ while $end < @lines && $lines[$end] !~ /^```$/;
		push @out, @lines[$i + 1 .. ($end < @lines ? $end : $#lines)];
		$i = $end;
	} else {
		push @out, $l;
	}
}
opendir(my $dh, $dir) or die "guide.pl: $dir: $!\n";
for my $f (sort grep { !/^\./ } readdir $dh) {
	push @err, "the capture $f is not used by any block of $doc" unless $used{$f};
}
if (@err) {
	print STDERR "guide.pl: $_\n" for @err;
	exit 2;
}
print "$_\n" for @out;
