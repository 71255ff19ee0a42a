/* args: -x errtags */
/* exit( ) may not follow speculate( ) in a clause: DTrace's D_EXIT_SPEC. */
BEGIN { s = speculation(); }
BEGIN
{
	speculate(s);
	exit(0);
}
