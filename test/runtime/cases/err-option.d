/* args: -x nosuchoption */
/* An unknown -x option is refused before compiling. */
BEGIN
{
	exit(0);
}
