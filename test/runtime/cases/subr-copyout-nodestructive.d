/*
 * copyout( ) and copyoutstr( ) are destructive: without -w, enabling is
 * refused as DTrace refuses it.
 */
BEGIN
{
	copyoutstr("x", curthread->mm->arg_start, 2);
	exit(0);
}
