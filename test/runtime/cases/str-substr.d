/* args: -q */
/* substr() in every argument form, checked against dtrace-utils: negative index (from the end, and before the start), omitted, zero, negative and huge length, index at and past the end, the empty string, a literal longer than strsize. */
#pragma D option strsize=16
BEGIN
{
	s = "abcdefghij";
	e = "";
	printf("1|%s|\n", substr(s, 0));
	printf("2|%s|\n", substr(s, 3));
	printf("3|%s|\n", substr(s, -3));
	printf("4|%s|\n", substr(s, -20));
	printf("5|%s|\n", substr(s, 10));
	printf("6|%s|\n", substr(s, 11));
	printf("7|%s|\n", substr(s, 2, 3));
	printf("8|%s|\n", substr(s, 2, -3));
	printf("9|%s|\n", substr(s, 2, 0));
	printf("10|%s|\n", substr(s, -3, 2));
	printf("11|%s|\n", substr(s, -12, 5));
	printf("12|%s|\n", substr(s, -12, 1));
	printf("13|%s|\n", substr(s, -12, 2));
	printf("14|%s|\n", substr(s, -12, -2));
	printf("15|%s|\n", substr(s, 8, 20));
	printf("16|%s|\n", substr(s, 0, -20));
	printf("17|%s|\n", substr(e, 0));
	printf("18|%s|\n", substr(e, -1, 1));
	printf("19|%s|\n", substr("0123456789abcdefXYZ", 2));
	printf("20|%s|\n", substr(s, 9, 1));
	printf("21|%s|\n", substr(s, -1));
	printf("22|%s|\n", substr(s, -10));
	printf("23|%s|\n", substr(s, -11, 3));
	printf("24|%s|\n", substr(s, 3, -7));
	printf("25|%s|\n", substr(s, 3, -8));
	printf("26|%s|\n", substr(s, 0x7fffffff));
	printf("27|%s|\n", substr(s, -0x7fffffff, 0x7fffffff));
	printf("28|%s|\n", substr(s, 1, 0x80000000));
	exit(0);
}
