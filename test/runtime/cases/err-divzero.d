/* A constant division by zero is a compile-time error. */
BEGIN
{
	trace(123 / (7 - 7));
}
