/*
 * Not quiet: a clause that only speculates records the probe into its
 * speculation, printed when committed; a clause that only commits or
 * discards prints nothing itself.
 */
BEGIN { a = speculation(); b = speculation(); }
BEGIN { speculate(a); }
BEGIN { discard(a); }
BEGIN { b = speculation(); }
BEGIN { speculate(b); }
BEGIN { commit(b); }
BEGIN { exit(0); }
