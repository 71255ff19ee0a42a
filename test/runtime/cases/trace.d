/* trace() of integers of each size and sign, and of strings, not quiet:
   " %3d", " %5d", " %10d", " %19d" (unsigned " %20u" for 8 bytes),
   strings "  %-33s"; the record ends with a newline. */
BEGIN
{
	trace((char)-1);
	trace((unsigned char)255);
	trace((short)-2);
	trace((unsigned short)65535);
	trace(-3);
	trace(4294967295u);
	trace(-4l);
	trace((unsigned long)-1);
}

BEGIN
{
	trace("a string");
	trace(7);
}

BEGIN
{
	exit(0);
}
