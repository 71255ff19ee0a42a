/* args: -q -x strsize=8 */
/* strsize=8: strings hold 8 characters, longer ones are cut. */
BEGIN
{
	s = "abcdefghijklmnop";
	printf("[%s]\n", s);
	printf("[%s]\n", "12345678");
	printf("[%s]\n", "1234567");
	exit(0);
}
