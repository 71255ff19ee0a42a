/* args: -q */
/* lltostr() with and without a base (illumos DTrace: "0x" for 16, "0" for 8, a sign only in base 10), strtoll() with a base (blanks, sign, "0x", digits below the base), toupper/tolower: dtrace-utils has none of these with these arguments, so the figures follow illumos. */
#pragma D option strsize=16
BEGIN
{
	printf("1 |%s|%s|%s|\n", lltostr(0), lltostr(-1), lltostr(1234567890));
	printf("2 |%s|%s|\n", lltostr(0x8000000000000000), lltostr(0x7fffffffffffffff));
	printf("3 |%s|%s|%s|\n", lltostr(255, 16), lltostr(255, 8), lltostr(255, 2));
	printf("4 |%s|%s|%s|\n", lltostr(0, 16), lltostr(0, 8), lltostr(-1, 16));
	printf("5 |%s|%s|\n", lltostr(-255, 36), lltostr(35, 36));
	printf("6 |%s|%s|\n", toupper("abcXYZ019{}`@"), tolower("abcXYZ019[]`@"));
	printf("7 |%s|%s|\n", toupper(""), tolower("0123456789ABCDEFXYZ"));
	printf("8 %d %d %d %d\n", strtoll("123"), strtoll("-123"), strtoll("  +42xyz"), strtoll(""));
	printf("9 %d %d %d %d\n", strtoll("ff", 16), strtoll("0xff", 16), strtoll("0x", 16), strtoll("777", 8));
	printf("10 %d %d %d\n", strtoll("zz", 36), strtoll("101", 2), strtoll("9223372036854775808"));
	printf("11 %d %d %d\n", strtoll("0XFG", 16), strtoll("\t5"), strtoll("- 5"));
	printf("12 %d %d\n", strtoll("0x10"), strtoll("012"));
	exit(0);
}
