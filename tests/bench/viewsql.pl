#!/usr/bin/perl
# The statement the console's list engine sends for a page of a view file
# (src/console/viewfmt.c, view_call_page), for tests/bench/lists.sh: the
# view's function called with named parameters (given, fixed, each group of
# choices at its start value, the first order's value, the search, the
# keyset, the page size), the epoch of each time column added. Values are
# written in as literals (the console's unnamed statements are planned with
# their values). Not a benchmark itself (not *.sh).
#
#   viewsql.pl FORMS VIEW [NAME=VALUE ...] [sort=N] [after:PARAM=VALUE ...]
#       the statement; NAME=VALUE binds a given parameter, picks a choice's
#       value (NAME=NULL: its value without one) or is the search; sort=N
#       the view's order N (0, the first, by default)
#   viewsql.pl --after FORMS VIEW [sort=N]
#       that order's keyset: "PARAM COLUMN" lines (none: one page only)
#   viewsql.pl --function FORMS VIEW
#       the function's name
#
# The reader takes the libconfig the view files are written in (groups,
# lists, arrays, strings, numbers, booleans, comments); a view's base view
# gives each top-level setting the view does not (src/common/view.c).
use strict;
use warnings;

my $mode = 'sql';
if (@ARGV && $ARGV[0] =~ /^--(after|function)$/) {
	$mode = $1;
	shift @ARGV;
}
my ($forms, $name, @binds) = @ARGV;
die "usage: viewsql.pl [--after|--function] FORMS VIEW [NAME=VALUE ...]\n" unless defined $name;

sub parse_file {
	my ($path) = @_;
	open my $fh, '<:raw', $path or die "viewsql.pl: $path: $!\n";
	local $/;
	my $text = <$fh>;
	close $fh;
	my @tok;
	while (length $text) {
		if ($text =~ s/^\s+//) { next }
		if ($text =~ s/^(#|\/\/)[^\n]*//) { next }
		if ($text =~ s/^\/\*.*?\*\///s) { next }
		if ($text =~ s/^"((?:[^"\\]|\\.)*)"//s) {
			my $s = $1;
			$s =~ s/\\(.)/$1 eq 'n' ? "\n" : $1 eq 't' ? "\t" : $1/ge;
			# adjacent strings are one
			if (@tok && ref $tok[-1] eq 'SCALAR') { ${ $tok[-1] } .= $s } else { push @tok, \$s }
			next;
		}
		if ($text =~ s/^([-+]?[0-9][0-9.eExXa-fA-FL]*)//) { my $n = $1; push @tok, \$n; next }
		if ($text =~ s/^([A-Za-z*][-A-Za-z0-9_*]*)//) { push @tok, $1; next }
		if ($text =~ s/^([={}()\[\]:;,])//) { push @tok, $1; next }
		die "viewsql.pl: $path: cannot read near: " . substr($text, 0, 20) . "\n";
	}
	my $i = 0;
	my $value;
	my $settings = sub {
		my ($end) = @_;
		my %g;
		while ($i < @tok && !(defined $end && !ref $tok[$i] && $tok[$i] eq $end)) {
			my $key = $tok[$i++];
			die "viewsql.pl: $path: a setting name expected\n" if ref $key;
			my $eq = $tok[$i++];
			die "viewsql.pl: $path: = expected after $key\n" unless $eq eq '=' || $eq eq ':';
			$g{$key} = $value->();
			$i++ while $i < @tok && !ref $tok[$i] && ($tok[$i] eq ';' || $tok[$i] eq ',');
		}
		$i++ if defined $end;
		return \%g;
	};
	$value = sub {
		my $t = $tok[$i++];
		return $$t if ref $t;
		return $t eq 'true' ? 1 : 0 if $t eq 'true' || $t eq 'false';
		return $settings->('}') if $t eq '{';
		if ($t eq '(' || $t eq '[') {
			my $close = $t eq '(' ? ')' : ']';
			my @l;
			while ($tok[$i] ne $close) {
				push @l, $value->();
				$i++ if !ref $tok[$i] && $tok[$i] eq ',';
			}
			$i++;
			return \@l;
		}
		die "viewsql.pl: $path: unexpected $t\n";
	};
	return $settings->(undef);
}

my $v = parse_file("$forms/$name.view")->{view} or die "viewsql.pl: $name.view has no view group\n";
if (defined $v->{base}) {
	my $b = parse_file("$forms/$v->{base}.view")->{view};
	for my $k (keys %$b) { $v->{$k} = $b->{$k} unless exists $v->{$k} }
}
die "viewsql.pl: $name.view names no function\n" unless defined $v->{function};
my ($sortno) = map { /^sort=(\d+)$/ ? $1 : () } @binds;
@binds = grep { !/^sort=\d+$/ } @binds;
my $sort = $v->{sorts} ? $v->{sorts}[ $sortno // 0 ] : undef;
die "viewsql.pl: $name.view has no order $sortno\n" if defined $sortno && !$sort;
if ($mode eq 'function') {
	print "$v->{function}\n";
	exit 0;
}
if ($mode eq 'after') {
	print "$_->{param} $_->{column}\n" for $sort ? @{ $sort->{after} // [] } : ();
	exit 0;
}

sub lit { my ($x) = @_; return 'NULL' unless defined $x; $x =~ s/'/''/g; return "'$x'" }

# The choices at their start values, then what was bound.
my @choices = @{ $v->{choices} // [] };
my %choice;
for my $c (@choices) { $choice{ $c->{param} } = $c->{values}[0]{value} }
for my $s (@{ $v->{start} // [] }) { $choice{ $s->{param} } = $s->{value} if exists $choice{ $s->{param} } }
my (@given, @after, $query);
my $search = $v->{search} ? $v->{search}{param} : undef;
for my $b (@binds) {
	my ($k, $val) = $b =~ /^([^=]+)=(.*)$/s or die "viewsql.pl: NAME=VALUE expected: $b\n";
	$val = undef if $val eq 'NULL';
	if ($k =~ s/^after://) { push @after, [ $k, $val ] }
	elsif (exists $choice{$k}) { $choice{$k} = $val }
	elsif (defined $search && $k eq $search) { $query = $val }
	else { push @given, [ $k, $val ] }
}
my @args = @given;
push @args, [ $_->{param}, $_->{value} ] for @{ $v->{fixed} // [] };
for my $c (@choices) {
	next if defined $query && defined $search && $search eq $c->{param};
	push @args, [ $c->{param}, $choice{ $c->{param} } ];
}
push @args, [ $sort->{param}, $sort->{value} ] if $sort && defined $sort->{param};
push @args, [ $search, $query ] if defined $query;
push @args, @after;
push @args, [ $v->{limit}, 50 ] if defined $v->{limit};
my %time = map { $_ => 1 } qw(date datetime countdown overdue);
my $extra = join '', map { ", extract(epoch FROM f.$_->{name})::bigint AS \"$_->{name}:epoch\"" }
	grep { defined $_->{format} && $time{ $_->{format} } } @{ $v->{columns} // [] };
print "SELECT f.*$extra FROM $v->{function}(", join(', ', map { "$_->[0] => " . lit($_->[1]) } @args),
	") f\n";
