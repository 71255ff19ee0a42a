/* A syntax error: DTrace's message with the line, exit status 1. */
BEGIN
{
	x = ;
}
