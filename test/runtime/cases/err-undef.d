/* args: -x errtags */
/* Reading a variable before it is assigned, with -x errtags. */
BEGIN
{
	trace(notyet);
}
