/* args: -q -x strsize=4 */
/*
 * String keys hold strsize characters: with strsize=4, "abcdefgh" and
 * "abcdxyz" are both the key "abcd"; "abc" is a key of its own.
 */
BEGIN
{
	@s["abcdefgh"] = count();
	@s["abcdxyz"] = count();
	@s["abc"] = count();
	@t["abcdefgh", 1] = sum(3);
	@t["abcd", 1] = sum(4);
	printa("%s:%@d\n", @s);
	exit(0);
}
