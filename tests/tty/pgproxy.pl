#!/usr/bin/perl
# pgproxy.pl LISTEN_SOCKET TARGET_SOCKET: a one-process forwarder between
# two Unix sockets, so that a test can cut a client's connection to
# PostgreSQL (kill the proxy) and restore it (start it again) without
# touching the server. Used by tests/tty/console_reconnect.sh.
use strict;
use warnings;
use IO::Socket::UNIX;
use IO::Select;
use Socket qw(SOCK_STREAM);

my ($listen_path, $target_path) = @ARGV;
die "usage: pgproxy.pl LISTEN_SOCKET TARGET_SOCKET\n" unless defined $target_path;
unlink $listen_path;
my $server = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $listen_path, Listen => 16)
	or die "pgproxy: listen on $listen_path: $!\n";
$SIG{TERM} = sub { unlink $listen_path; exit 0 };

my $select = IO::Select->new($server);
my %peer; # socket -> the other end
while (1) {
	for my $fh ($select->can_read) {
		if ($fh == $server) {
			my $client = $server->accept or next;
			my $upstream = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $target_path);
			if (!$upstream) {
				close $client;
				next;
			}
			$peer{$client} = $upstream;
			$peer{$upstream} = $client;
			$select->add($client, $upstream);
			next;
		}
		my $other = $peer{$fh};
		my $n = sysread($fh, my $buf, 65536);
		if (!$n) {
			$select->remove($fh, $other);
			delete @peer{$fh, $other};
			close $fh;
			close $other;
			next;
		}
		my $off = 0;
		while ($off < $n) {
			my $w = syswrite($other, $buf, $n - $off, $off);
			last unless defined $w;
			$off += $w;
		}
	}
}
