/* args: -q -x bufsize=1k -x strsize=900 */
/* A principal buffer too small for what BEGIN records: bufsize=1k gives
   one page of ring buffer on up to four CPUs, which holds four of these
   records of 917 bytes (one string of strsize + 1 and the header). The
   other four are dropped, and DTrace's message says so on stderr (the
   runner reads "on CPU N" for the CPU number, as upstream's tests do). */
string s;

BEGIN
{
	s = "x";
}

BEGIN
{
	trace(s);
}

BEGIN
{
	trace(s);
}

BEGIN
{
	trace(s);
}

BEGIN
{
	trace(s);
}

BEGIN
{
	trace(s);
}

BEGIN
{
	trace(s);
}

BEGIN
{
	trace(s);
}

BEGIN
{
	trace(s);
}

BEGIN
{
	exit(0);
}
