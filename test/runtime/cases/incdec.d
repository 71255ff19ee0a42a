/* args: -q */
/* ++ and -- wrap at the variable's type: s is a short (created by its
   first assignment, before s++), u an unsigned char, c a char. */
BEGIN
{
	s = (short)32767;
	s++;
	u = (unsigned char)0;
	u--;
	c = (char)-128;
	--c;
	x++;
	printf("%d %d %d %d\n", s, u, c, x);
	exit(0);
}
