/*
 * print( ) needs a pointer to something with a size: DTrace checks it when
 * it generates code, so the message names no clause region.
 */
struct fwd;

BEGIN
{
	print((struct fwd *)curthread);
	exit(0);
}
