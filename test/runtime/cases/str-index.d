/* args: -q */
/* index()/rindex() with and without a start (negative, past the end, the empty needle), strstr, strchr/strrchr, strlen and strjoin at the edges; checked against dtrace-utils except where a literal exceeds strsize (docs/strings.md). */
#pragma D option strsize=16
BEGIN
{
	s = "abcabcabc";
	e = "";
	printf("1 %d %d\n", index(s, "bc"), rindex(s, "bc"));
	printf("2 %d %d\n", index(s, "bc", 2), rindex(s, "bc", 2));
	printf("3 %d %d\n", index(s, "bc", -5), rindex(s, "bc", -5));
	printf("4 %d %d\n", index(s, "bc", 100), rindex(s, "bc", 100));
	printf("5 %d %d\n", index(s, ""), rindex(s, ""));
	printf("6 %d %d\n", index(s, "", 4), rindex(s, "", 4));
	printf("7 %d %d\n", index(e, ""), rindex(e, ""));
	printf("8 %d %d\n", index(e, "a"), rindex(e, "a"));
	printf("9 %d %d\n", index(s, "abcabcabcd"), rindex(s, "abcabcabcd"));
	printf("10 %d %d\n", index(s, "abcabcabc"), rindex(s, "abcabcabc"));
	printf("11 %d %d\n", index(s, "c", 8), rindex(s, "c", 8));
	printf("12 %d %d\n", index(s, "c", 9), rindex(s, "c", 9));
	printf("13 %d %d\n", index(s, "", 9), rindex(s, "", 9));
	printf("14 %d %d\n", index(s, "", 10), rindex(s, "", 10));
	printf("15 %d %d\n", index(s, "x"), rindex(s, "x"));
	printf("16 %d %d\n", index(s, "a", 0), rindex(s, "a", 0));
	printf("17 %d %d\n", index(s, "", -1), rindex(s, "", -1));
	printf("18 |%s|%s|\n", strstr(s, "ca"), strstr(s, ""));
	printf("19 |%s|%s|\n", strstr(e, ""), strstr("0123456789abcdefXYZ", "f"));
	printf("20 |%s|%s|\n", strchr(s, 'c'), strrchr(s, 'b'));
	printf("21 |%s|%s|\n", strchr("0123456789abcdefXYZ", 'f'), strrchr("0123456789abcdefXYZ", '1'));
	printf("22 %d %d\n", index("0123456789abcdefXYZ", "X"), rindex("0123456789abcdefXYZ", "f"));
	printf("23 %d %d\n", strlen(""), strlen("0123456789abcdefXYZ"));
	printf("24 |%s|\n", strjoin("0123456789", "abcdefXYZ"));
	printf("25 |%s|%s|\n", strjoin("", ""), strjoin(e, "x"));
	exit(0);
}
