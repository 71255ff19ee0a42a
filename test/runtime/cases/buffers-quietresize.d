/* args: -q -x bufsize=900g -x quietresize */
/* bufresize=auto lowers a buffer no machine can give (dtrace(1) notes
   "buffer size lowered to ..."); with quietresize set the note is not
   printed, and the script runs. */
BEGIN
{
	printf("ran\n");
	exit(0);
}
