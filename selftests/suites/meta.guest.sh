#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "meta" suite (busybox sh): the 9P requests metadata
# operations cost, from /sys/kernel/debug/v9x/data/stats, in cache=none,
# cache=none with an actimeo, and cache=loose (one mount each, in turn), and
# the memory prefetch holds for a 100,000-entry directory (Slab and
# MemAvailable are noted in the log). Each check bounds a count that the
# design fixes (Documentation/v9x.rst, "What a metadata operation costs"),
# so a change that brings back a round trip fails here.
. /lib.sh

setup_modules
if ! v9x_only; then
	note "meta: v9x's own request counters; nothing to check for 9p"
	done_tests
fi

# req NAME: the counter (requests, req_Twalk, ...), or MISSING; a request
# type never sent yet has no req_ line: 0.
req() {
	_x=$(stat_get "$1")
	case $1:$_x in req_*:MISSING) echo 0 ;; *) echo "$_x" ;; esac
}
# cost VAR CMD...: run CMD (output discarded); VAR_r, VAR_w, VAR_g: the
# requests, Twalks and Tgetattrs it cost; VAR_s: its exit status.
cost() {
	_v=$1
	shift
	_r0=$(req requests) _w0=$(req req_Twalk) _g0=$(req req_Tgetattr)
	"$@" >/dev/null 2>&1
	eval "${_v}_s=$?"
	eval "${_v}_r=\$(delta $_r0 \$(req requests))"
	eval "${_v}_w=\$(delta $_w0 \$(req req_Twalk))"
	eval "${_v}_g=\$(delta $_g0 \$(req req_Tgetattr))"
}
# quiesce: wait (at most 30 s) until the mount has nothing in flight and
# sent nothing for a second, so that what a command left running in the
# background (prefetch's last batches, its listing's Tclunk) is not counted
# as the next command's.
quiesce() {
	_q=0
	_qr=$(req requests)
	while [ $_q -lt 30 ]; do
		sleep 1
		_qn=$(req requests)
		[ "$_qn" = "$_qr" ] && [ "$(req inflight)" = 0 ] && return 0
		_qr=$_qn
		_q=$((_q + 1))
	done
}
# timing_misses: the stats whose reuse of their own lookup's attributes
# missed for a timing reason (v9x_attr_just_fetched()), on this mount.
timing_misses() {
	echo $(($(req reuse_switch) + $(req reuse_tick) + $(req reuse_reply)))
}
# relist_batches DIR: the lookup batches prefetch queued for a listing of
# DIR (getdents only), the second after it.
relist_batches() {
	_rb0=$(req prefetch_batches)
	/metabench readdir "$1" >/dev/null
	quiesce
	delta "$_rb0" "$(req prefetch_batches)"
}
le() { [ "$1" != MISSING ] && [ "$1" -le "$2" ]; }

# none,actimeo=3: cache=none checks every use of a name whatever actimeo
# says (the same counts as none); with prefetch=0 there, the listings
# fetch nothing ahead. loose with actimeo=30, not its default 3:
# on the debug kernel (KASAN, lockdep) the few commands between two stats
# can take 3 s, and the counts would then include a revalidation.
for mode in none none,actimeo=3,prefetch=0 loose,actimeo=30; do
	cm=${mode%%,*}
	section "cache=$mode"
	mount_or_stop "mount cache=$mode" /mnt "cache=$mode"
	M=/mnt/m
	# m/ is listed first (where prefetch runs, its entries are fetched
	# ahead): the lookups of its names below then never make the mount
	# list it on its own (see the git/ part), which would add requests to
	# the counts.
	ls $M >/dev/null
	quiesce

	# The first use of a name: one Twalk and one Tgetattr (the stat
	# reuses the lookup's attributes). Then with cache=none one Tgetattr
	# per use (the dentry is kept and revalidated), with loose none.
	cost c1 stat $M/a/b/c/f1
	# One Tgetattr per component; the stat itself reuses its last
	# component's answer only when the task was not switched out, no tick
	# passed and no other reply came in between (v9x_attr_just_fetched()).
	# That reuse is timing-bound under TCG: in 2 of 8 boots on 2026-12-06
	# every try of this stat cost 6 (the second mount of the boot, on 6.1
	# and 6.12; the cause is not known), while the same reuse for a new
	# name (below: 5, not 6) held in every boot. So this check allows the
	# one Tgetattr of the stat: 6, not 5; the notes show what each try cost.
	grep '^req_\|^reuse_' /sys/kernel/debug/v9x/data/stats >/tmp/req.0
	cost c2 stat $M/a/b/c/f1
	_c2=$c2_r
	for _t in 2 3; do
		[ "$c2_r" -le 5 ] 2>/dev/null && break
		grep '^req_\|^reuse_' /sys/kernel/debug/v9x/data/stats >/tmp/req.1
		note "$mode: the stat again cost $(awk 'NR == FNR { a[$1] = $2; next } $2 != a[$1] { printf "%s %d, ", $1, $2 - a[$1] }' /tmp/req.0 /tmp/req.1)"
		grep '^req_\|^reuse_' /sys/kernel/debug/v9x/data/stats >/tmp/req.0
		cost c2 stat $M/a/b/c/f1
		_c2="$_c2 $c2_r"
	done
	check "$mode: stat of a known 5-component path, m/a/b/c/f1, again: ≤ 6 requests, one Tgetattr per component and maybe the stat's own (tries: $_c2)" le "$c2_r" 6
	check "$mode: ... and no Twalk ($c2_w)" [ "$c2_w" = 0 ]
	# Without an actimeo the directories on the way (m, a, b, c) are
	# checked together: their Tgetattrs are in flight at once.
	# So is f1's own check: sent before their answers are waited for.
	_p0=$(req path_checks) _e0=$(req path_last_early)
	cost c4 stat $M/a/b/c/f1
	_p1=$(req path_checks) _e1=$(req path_last_early)
	if [ $cm = none ]; then
		check "$mode: stat of m/a/b/c/f1 sent the 4 directories' checks ahead (path_checks $_p0 -> $_p1, $c4_g Tgetattrs)" \
			[ "$_p1" = "$((_p0 + 4))" ]
		check "$mode: ... and f1's check with them (path_last_early $_e0 -> $_e1)" \
			[ "$_e1" = "$((_e0 + 1))" ]
	else
		check "$mode: ... none with an actimeo (path_checks $_p0 -> $_p1)" [ "$_p1" = "$_p0" ]
	fi
	# A new name: its stat reuses the lookup's Tgetattr, the same
	# timing-bound reuse, which missed once in a CI run on 2026-12-06
	# (6 Tgetattrs on 6.12). So with cache=none a try that cost 6 is taken
	# only with the miss's timing cause counted during it (reuse_switch,
	# reuse_tick or reuse_reply; reuse_task would be a bug), and up to 3
	# new names are tried for one that costs 5.
	_c3=
	for _n in f2 f3 f4; do
		_e0=$(req path_last_early)
		_m0=$(timing_misses)
		_k0=$(req reuse_task)
		cost c3 stat $M/a/b/c/$_n
		_e1=$(req path_last_early)
		_tm=$(($(timing_misses) - _m0))
		_tk=$(($(req reuse_task) - _k0))
		_c3="$_c3 $_n:$c3_g,timing-miss=$_tm,task-miss=$_tk"
		[ $cm = none ] && [ "$c3_g" != 5 ] || break
	done
	note "$mode: a new name's stat, tries:$_c3"
	check "$mode: a new name in a known directory: one Twalk ($c3_w)" [ "$c3_w" = 1 ]
	if [ $cm = none ]; then
		check "$mode: ... and one Tgetattr per component, or a timing-bound miss of the reuse counted (tries:$_c3)" \
			[ "$c3_g" = 5 -o "$c3_g:$_tm:$_tk" = 6:1:0 ]
		check "$mode: ... its Twalk sent with the directories' checks (path_last_early $_e0 -> $_e1)" \
			[ "$_e1" = "$((_e0 + 1))" ]
	else
		check "$mode: ... and one Tgetattr ($c3_g)" [ "$c3_g" = 1 ]
		check "$mode: a name used within actimeo costs nothing ($c2_r)" [ "$c2_r" = 0 ]
	fi

	# A user's first open deep in the tree (its own session): with loose
	# the path's dentries are fresh, and the user's fid of the file is
	# walked from its new Tattach in one Twalk of all 5 names, then cloned
	# for the open. With none each component is checked, top down, with
	# that user's fid: one Twalk per level.
	_a0=$(req req_Tattach)
	cost u1 /runas 1000 1000 cat $M/a/b/c/f1
	u1_a=$(delta "$_a0" "$(req req_Tattach)")
	check "$mode: a new user reads the known m/a/b/c/f1 (status $u1_s)" [ "$u1_s" = 0 ]
	note "$mode: a new user's first read of m/a/b/c/f1: $u1_r requests, $u1_a Tattach, $u1_w Twalks, $u1_g Tgetattrs"
	if [ $cm = loose ]; then
		check "$mode: ... one Tattach ($u1_a), one Twalk of the 5 names and the open's clone: 2 Twalks ($u1_w)" \
			[ "$u1_a" = 1 -a "$u1_w" = 2 ]
	fi

	# Negative dentries: in a caching mode a missing name is remembered.
	cost n1 stat $M/a/b/c/missing
	cost n2 stat $M/a/b/c/missing
	check "$mode: a missing name costs one Twalk ($n1_w)" [ "$n1_w" = 1 ]
	if [ $cm = loose ]; then
		check "$mode: asked again within actimeo, nothing ($n2_r)" [ "$n2_r" = 0 ]
	else
		check "$mode: asked again, one Twalk again ($n2_w)" [ "$n2_w" = 1 ]
	fi

	# create + stat + unlink at a 5-component path (metabench create):
	# 25 requests per file with cache=none (48 before dentries were kept),
	# 7 with loose. With cache=none each stat's reuse of the create's
	# attributes is timing-bound as above (one Tgetattr more when it
	# misses): in one boot of 2026-12-07 (6.1, the boot's first mount,
	# whose new-name stat missed too) the 20 files cost 542. So a miss
	# counted during the run (reuse_switch, reuse_tick, reuse_reply)
	# allows one request more, and what an over-27 run cost is noted.
	grep '^req_\|^reuse_' /sys/kernel/debug/v9x/data/stats >/tmp/req.0
	_m0=$(timing_misses)
	cost cr /metabench create $M/a/b/c/n 20
	_md=$(delta "$_m0" "$(timing_misses)")
	check "$mode: metabench create of 20 files in m/a/b/c/n succeeded" [ "$cr_s" = 0 ]
	if [ $cm = none ]; then
		if ! le "$cr_r" 540; then
			grep '^req_\|^reuse_' /sys/kernel/debug/v9x/data/stats >/tmp/req.1
			note "$mode: create+stat+unlink of 20 cost $(awk 'NR == FNR { a[$1] = $2; next } $2 != a[$1] { printf "%s %d, ", $1, $2 - a[$1] }' /tmp/req.0 /tmp/req.1)"
		fi
		check "$mode: create+stat+unlink at m/a/b/c/n/: ≤ 27 requests per file and one per timing miss ($cr_r for 20, $_md misses)" \
			le "$cr_r" $((540 + _md))
	else
		check "$mode: create+stat+unlink at m/a/b/c/n/: ≤ 8 requests per file ($cr_r for 20)" \
			le "$cr_r" 160
	fi

	# A listing's end is remembered: the getdents after the last batch
	# costs no Treaddir. Two batches' worth of names at most here.
	_d0=$(req req_Treaddir)
	ls $M/par >/dev/null
	_dr=$(delta "$_d0" "$(req req_Treaddir)")
	check "$mode: ls of a 64-entry directory: 2 Treaddirs ($_dr)" [ "$_dr" = 2 ]
	# In a mode with an actimeo the directory's last close kept its opened
	# fid: listing it again costs no Twalk, Tlopen or Tclunk. (What the
	# first listing fetched ahead is done first.)
	sleep 2
	cost l2 ls $M/par
	if [ $cm = loose ]; then
		check "$mode: ls of it again: 2 Treaddirs and nothing else ($l2_r requests, $l2_w Twalks)" \
			[ "$l2_r" = 2 -a "$l2_w" = 0 ]
	else
		check "$mode: ls of it again: a fid of its own, walked to ($l2_r requests, $l2_w Twalks)" \
			[ "$l2_w" = 1 ]
		# Without an actimeo a listing walks the entries ahead too
		# (here one that stats nothing; busybox ls stats each entry),
		# and keeps their fids: no Tgetattr then (each use asks
		# anyway). Each stat's lookup then takes its name's fid and
		# sends one Tgetattr of it: no Twalk (with prefetch=0, one
		# each). The stat may ask once more when it cannot reuse that
		# answer (timing-bound, see above); cd checks m/ and pn/.
		_pa=$(req prefetches)
		_p0=$_pa
		_lg0=$(req req_Tgetattr)
		/metabench readdir $M/pn >/dev/null
		for _t in 1 2 3 4 5 6 7 8 9 10; do
			sleep 1
			_p1=$(req prefetches)
			[ "$_p1" = "$_p0" ] && break
			_p0=$_p1
		done
		_lg=$(delta "$_lg0" "$(req req_Tgetattr)")
		note "$mode: a listing of pn/ (64 entries) prefetched $(delta "$_pa" "$_p1"), $_lg Tgetattrs"
		_k0=$(req prefetch_walked)
		cost ps sh -c "cd $M/pn && n=0 && for i in \$(seq 1 64); do stat -c %s \$(printf q%03d \$i) || exit 1; n=\$((n + 1)); done && [ \$n = 64 ]"
		case $mode in
		*prefetch=0*)
			check "$mode: stat of the 64 names listed, not fetched ahead: one Twalk each ($ps_w), status $ps_s" \
				[ "$ps_s" = 0 -a "$ps_w" = 64 ]
			;;
		*)
			# (3 on 6.1: the path's checks and the open's.)
			check "$mode: the listing and its prefetch: no Tgetattr of an entry, ≤ 4 for the path and the open ($_lg)" \
				le "$_lg" 4
			check "$mode: stat of the 64 names listed: no Twalk ($ps_w), at most 2 Tgetattrs each ($ps_g), status $ps_s" \
				[ "$ps_s" = 0 -a "$ps_w" = 0 -a "$ps_g" -le 132 ]
			_kd=$(delta "$_k0" "$(req prefetch_walked)")
			check "$mode: ... each lookup took the fid prefetch walked ($_kd)" \
				[ "$_kd" = 64 ]
			# Listed again, every name now known: nothing to
			# queue (each use checks its name anyway).
			_bd=$(relist_batches $M/pn)
			check "$mode: pn/ listed again, every name known: no lookup batch queued ($_bd)" \
				[ "$_bd" = 0 ]
			# pr/ (48 names) listed again and again with no stat
			# in between (watch ls): the second listing finds the
			# names the first walked unused, and neither it nor
			# the third walks them again (nor keeps a copy); the
			# stats after them do: after V9X_PF_MISSES (4) names
			# looked up one by one the mount lists pr/ itself and
			# walks the rest ahead.
			_b1=$(relist_batches $M/pr)
			_b2=$(relist_batches $M/pr)
			_b3=$(relist_batches $M/pr)
			note "$mode: pr/ listed 3 times, lookup batches $_b1, $_b2, $_b3"
			check "$mode: pr/ listed a second and a third time, its walked names unused: no lookup batch queued ($_b2, $_b3; $_b1 for the first)" \
				[ "$_b1" -ge 1 -a "$_b2" = 0 -a "$_b3" = 0 ]
			_k0=$(req prefetch_walked)
			cost pr sh -c "cd $M/pr && n=0 && for i in \$(seq 1 48); do stat -c %s \$(printf r%03d \$i) || exit 1; n=\$((n + 1)); done && [ \$n = 48 ]"
			_kd=$(delta "$_k0" "$(req prefetch_walked)")
			check "$mode: ... then stat of its 48 names: after the first lookups the others are walked ahead ($_kd took a walked fid), status $pr_s" \
				[ "$pr_s" = 0 -a "$_kd" -ge 32 ]
			;;
		esac
	fi

	# qid.version 0: the server says "cannot cache".
	cost v0a stat $M/v0
	cost v0b stat $M/v0
	cost v1a stat $M/v1
	cost v1b stat $M/v1
	if [ $cm = loose ]; then
		check "$mode: a file with qid.version 0 is asked about at every stat ($v0b_g)" [ "$v0b_g" = 1 ]
		check "$mode: another file is not ($v1b_r)" [ "$v1b_r" = 0 ]
	fi

	if [ $cm = loose ]; then
		# Prefetch: a listing fetches at most prefetch=256 entries that
		# nobody stats; a walk that stats what it lists keeps going.
		_p0=$(req prefetches)
		/metabench readdir $M/wide >/dev/null
		sleep 2
		_p1=$(req prefetches)
		check "loose: a listing of 2,000 entries that nobody stats prefetches one window, 256 ($(delta $_p0 $_p1))" \
			[ "$(delta $_p0 $_p1)" = 256 ]
		_h0=$(req prefetch_hits) _w0=$(req req_Twalk)
		/metabench walk $M/wide >/dev/null
		_h1=$(req prefetch_hits)
		check "loose: a walk (readdir + lstat of each) of it: ≥ 1,500 of its 2,000 stats found their attributes fetched ahead ($(delta $_h0 $_h1))" \
			[ "$(delta $_h0 $_h1)" -ge 1500 ]
		check "loose: ... and each entry was looked up once ($(delta "$_w0" "$(req req_Twalk)") Twalks)" \
			le "$(delta $_w0 "$(req req_Twalk)")" 2002
		# Listed again within actimeo: every name known and fresh, so
		# no lookup batch is queued (16 names each, 125 before).
		_bd=$(relist_batches $M/wide)
		check "loose: wide/ listed again, every name fresh: no lookup batch queued ($_bd)" \
			[ "$_bd" = 0 ]

		# Lookups ask for a listing: lstat of 100 names that nobody
		# listed (git status). After the 4th name found, the mount lists
		# the directory once itself and fetches the rest ahead.
		awk -v d=$M/git 'BEGIN { for (i = 1; i <= 100; i++) printf "%s/g%03d\n", d, i }' >/tmp/glist
		_p0=$(req prefetches) _h0=$(req prefetch_hits) _l0=$(req prefetch_lists)
		_d0=$(req req_Treaddir) _o0=$(req req_Tlopen)
		cost g1 /metabench lstat /tmp/glist
		# The listing's batches may outlast the lstats (on the debug
		# kernel, 2 requests of theirs once fell into g2 after a
		# "sleep 1").
		quiesce
		_ld=$(delta $_l0 "$(req prefetch_lists)")
		_dd=$(delta $_d0 "$(req req_Treaddir)")
		_hd=$(delta $_h0 "$(req prefetch_hits)")
		note "loose: lstat of 100 known names: $g1_r requests, $g1_w Twalks, $g1_g Tgetattrs, listings $_ld, prefetches $(delta $_p0 "$(req prefetches)"), hits $_hd"
		check "loose: lstat of 100 known names in git/ (status $g1_s)" [ "$g1_s" = 0 ]
		check "loose: ... the mount listed git/ once itself: 1 listing ($_ld), 1 Tlopen, 1 Treaddir ($_dd)" \
			[ "$_ld" = 1 -a "$_dd" = 1 -a "$(delta $_o0 "$(req req_Tlopen)")" = 1 ]
		check "loose: ... and ≥ 48 of the 96 lstats after the 4th found their attributes fetched ahead ($_hd)" \
			[ "$_hd" -ge 48 ]
		check "loose: ... each name was looked up once ($g1_w Twalks: 100 + the listing's 1)" \
			[ "$g1_w" = 101 ]
		cost g2 /metabench lstat /tmp/glist
		check "loose: the same lstats again within actimeo: no request ($g2_r)" [ "$g2_r" = 0 ]

		# The debug kernel (kmemleak, KASAN) takes minutes for the
		# 100,000 entries, and as long again to evict them at umount.
		if [ -w /sys/kernel/debug/kmemleak ]; then
			skip "loose: the 100,000-entry directory: not on the debug kernel (its time)"
		else
			# A 100,000-entry directory listed (getdents only): prefetch
			# holds one window of entries and one reply copy, not the
			# listing. Then walked (readdir + lstat of each, as find does):
			# the entries fetched ahead and not yet used stay within a window.
			# Slab and MemAvailable before and after each are in the log.
			_p0=$(req prefetches)
			_s0=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
			_a0=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
			/metabench readdir $M/huge >/dev/null
			sleep 2
			_s1=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
			_a1=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
			_pd=$(delta $_p0 "$(req prefetches)")
			note "loose: 100,000-entry listing: Slab ${_s0} -> ${_s1} kB, MemAvailable ${_a0} -> ${_a1} kB, prefetches $_pd"
			check "loose: a listing of a 100,000-entry directory prefetched one window, 256 ($_pd)" \
				[ "$_pd" = 256 ]
			check "loose: ... and the slab grew by less than 4 MiB ($((_s1 - _s0)) kB)" \
				[ $((_s1 - _s0)) -lt 4096 ]
			_p0=$(req prefetches) _h0=$(req prefetch_hits)
			/metabench walk $M/huge >/dev/null
			sleep 2
			_s2=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
			_a2=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
			_pd=$(delta $_p0 "$(req prefetches)")
			_hd=$(delta $_h0 "$(req prefetch_hits)")
			note "loose: 100,000-entry walk: Slab ${_s1} -> ${_s2} kB, MemAvailable ${_a1} -> ${_a2} kB, prefetches $_pd, hits $_hd"
			check "loose: a walk of it: ≥ 75,000 of its 100,000 stats found their attributes fetched ahead ($_hd)" \
				[ "$_hd" -ge 75000 ]
			check "loose: ... and at most a window (256) + the 32 in flight were fetched and not used ($_pd - $_hd)" \
				[ $((_pd - _hd)) -le 288 ]
		fi
	fi
	check "umount cache=$mode" umount /mnt
done

rmmod_v9x "rmmod v9x at the end"
done_tests
