#!/usr/bin/perl
# TEST CODE: answers ICMP echo requests late, like a congested path. The lab
# has no netem (its kernel lacks sch_netem), so the kernel's own echo replies
# are turned off in the namespace (net.ipv4.icmp_echo_ignore_all=1) and this
# sends them instead, DELAY_MS (± JITTER_MS) after each request arrived.
#
#   slow-echo.pl DELAY_MS JITTER_MS
#
# Perl because it is in every Debian and has raw sockets; bun has none. Only
# perl-base modules (no Time::HiRes): time is kept by what select() slept.
# One raw socket, IP_HDRINCL, so a reply comes from the address the request
# was sent to.
use strict;
use warnings;
use Socket qw(AF_INET SOCK_RAW IPPROTO_IP pack_sockaddr_in);

my ($delay, $jitter) = map { $_ / 1000 } @ARGV;
$jitter //= 0;
my $IP_HDRINCL = 3;
socket(my $s, AF_INET, SOCK_RAW, 1) or die "raw socket: $!";
setsockopt($s, IPPROTO_IP, $IP_HDRINCL, 1) or die "IP_HDRINCL: $!";
$| = 1;
print "ready\n";

sub checksum {
	my $sum = 0;
	$sum += $_ for unpack("n*", $_[0] . (length($_[0]) % 2 ? "\0" : ""));
	$sum = ($sum >> 16) + ($sum & 0xffff) while $sum >> 16;
	return ~$sum & 0xffff;
}

# Seconds, advanced by what each select() slept (Linux reports the time
# left); only differences matter, and with an empty queue nothing is due.
my $now = 0;
my @queue;    # [due, packet, destination]
for (;;) {
	my $wait = @queue ? $queue[0][0] - $now : undef;
	$wait = 0 if defined $wait && $wait < 0;
	my $rin = '';
	vec($rin, fileno($s), 1) = 1;
	my ($ready, $left) = select(my $rout = $rin, undef, undef, $wait);
	$now += $wait - $left if defined $wait;
	if ($ready > 0) {
		my $from = recv($s, my $pkt, 65535, 0);
		my $ihl = (unpack("C", $pkt) & 0x0f) * 4;
		my ($src, $dst) = (substr($pkt, 12, 4), substr($pkt, 16, 4));
		my $icmp = substr($pkt, $ihl);
		if (length($icmp) >= 8 && unpack("C", $icmp) == 8) {    # echo request
			my $reply = pack("CCn", 0, 0, 0) . substr($icmp, 4);
			substr($reply, 2, 2) = pack("n", checksum($reply));
			# Total length and header checksum are filled in by the kernel.
			my $ip = pack("CCnnnCCn", 0x45, 0, 0, 0, 0, 64, 1, 0) . $dst . $src;
			my $due = $now + $delay + (rand(2) - 1) * $jitter;
			@queue = sort { $a->[0] <=> $b->[0] } @queue, [ $due, $ip . $reply, $src ];
		}
	}
	while (@queue && $queue[0][0] <= $now) {
		my $r = shift @queue;
		send($s, $r->[1], 0, pack_sockaddr_in(0, $r->[2]));
	}
}
