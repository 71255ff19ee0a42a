/* args: -q */
/*
 * speculation( ) hands out the lowest free id (0 when none is free, a
 * failed speculation); records written after speculate( ) are kept until
 * commit( ) prints them at its place in the output, or discard( ) drops
 * them; the id is free again at once; speculate( ) of an id that is not
 * in use records nothing.
 */
#pragma D option nspec=2

BEGIN { a = speculation(); b = speculation(); c = speculation(); printf("ids %d %d %d\n", a, b, c); }
BEGIN { speculate(a); printf("a1\n"); }
BEGIN { speculate(b); printf("b1\n"); }
BEGIN { printf("plain\n"); }
BEGIN { speculate(a); printf("a2 %s %d\n", "x", 7); }
BEGIN { discard(b); }
BEGIN { commit(a); }
BEGIN { d = speculation(); printf("again %d\n", d); }
BEGIN { speculate(b); printf("never\n"); }
BEGIN { speculate(d); printf("d1\n"); }
BEGIN { commit(d); }
BEGIN { commit(0); discard(0); }
BEGIN { exit(0); }
