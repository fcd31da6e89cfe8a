# TEST CODE: a stand-in for IPFire's /var/ipfire/header.pl (config/cfgroot/
# header.pl in IPFire's source), written here, not copied: the same function
# names and the same HTML skeleton, so a page drawn with it looks and nests
# as on IPFire. Each function says which of IPFire's it follows.
package Header;
use strict;

$| = 1;

my $root = $General::swroot;
$root =~ s{/var/ipfire$}{};

# Follows showhttpheaders: the content type and "Cache-Control: private",
# then the blank line.
sub showhttpheaders {
	print "Content-Type: text/html; charset=UTF-8\n";
	print "Cache-Control: private\n\n";
}

# Follows genmenu: every menu.d/*.menu file is Perl that adds an entry to one
# of the section hashes; IPFire evals them all on every page.
my %sections = ('03.network' => 'network', '02.status' => 'status');
sub genmenu {
	my $substatus = {};
	my $subnetwork = {};
	my $text = '';
	foreach my $file (sort glob("$root/var/ipfire/menu.d/*.menu")) {
		open(my $fh, '<', $file) or next;
		local $/;
		$text .= <$fh>;
		close($fh);
	}
	eval $text;
	die "menu.d: $@" if $@;
	return { '02.status' => $substatus, '03.network' => $subnetwork };
}

# Follows showmenu: div#cssmenu with a list of sections, each a list of links.
sub showmenu {
	my ($menu) = @_;
	print "<div id='cssmenu' class='bigbox fixed'><ul>";
	foreach my $k (sort keys %$menu) {
		print "<li class='has-sub '><a href='#'><span>$Lang::tr{$sections{$k}}</span></a><ul>";
		foreach my $item (sort keys %{ $menu->{$k} }) {
			my $e = $menu->{$k}{$item};
			next unless $e->{'enabled'};
			print "<li><a href='$e->{'uri'}'>$e->{'caption'}</a></li>";
		}
		print "</ul></li>";
	}
	print "</ul></div>\n";
}

# Follows openpage(title, boh, extrahead, suppressmenu): the document head
# with the theme's style.css and extrahead, #header with #logo, the menu,
# then .bigbox > #main_inner > #main_header with the title.
sub openpage {
	my ($title, $boh, $extrahead, $suppress) = @_;
	print <<END;
<!DOCTYPE html>
<html lang="$Lang::language">
	<head>
	<title>ipfire.localdomain - $title</title>
	<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
	<link rel="shortcut icon" href="/favicon.ico" />
	$extrahead
	<link href="/themes/ipfire/include/css/style.css" rel="stylesheet" type="text/css" />
	</head>
	<body>
		<div id="header" class="fixed">
			<div id="logo">
				<h1><a href="#">IPFire_</a> &dash; ipfire.localdomain</h1>
			</div>
		</div>
END
	showmenu(genmenu()) unless $suppress;
	print <<END;
	<div class="bigbox fixed">
		<div id="main_inner" class="fixed">
			<div id="main_header">
				<h1>$title</h1>
			</div>
END
}

# Follows closepage: closes #main_inner and .bigbox, then #footer.
sub closepage {
	print <<END;
		</div>
	</div>
	<div id="footer" class='bigbox fixed'>
		<span class="pull-right"><strong>IPFire.org</strong> &bull; $Lang::tr{'support donation'}</span>
		<strong>IPFire 2.29 ($Lang::tr{'core update'} 199)</strong>
	</div>
</body>
</html>
END
}

# Follow openbigbox and closebigbox: on IPFire they print nothing.
sub openbigbox { }
sub closebigbox { }

# Follows openbox(width, align, title, classes…): a section.is-box with an
# h2.title; closebox ends it.
sub openbox {
	my ($width, $align, $title, @classes) = @_;
	print "<section class=\"" . join(' ', 'section', 'is-box', @classes) . "\">\n";
	print "\t<h2 class=\"title\">$title</h2>\n" if $title;
}

sub closebox {
	print "</section>";
}

1;
