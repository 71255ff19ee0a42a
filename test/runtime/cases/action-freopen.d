/* args: -qw */
/* freopen( ) sends output to a file and freopen("") back; ftruncate( ) empties the file; a file that cannot be opened is an error of the clause. */
BEGIN
{
	printf("to stdout\n");
	freopen("/tmp/dtrace-case-freopen.%d", $pid);
	printf("dropped\n");
	ftruncate();
	printf("kept in the file\n");
	freopen("/nonexistent/dir/file");
	printf("still in the file\n");
	freopen("");
	printf("back on stdout\n");
	system("cat /tmp/dtrace-case-freopen.%d; rm -f /tmp/dtrace-case-freopen.%d", $pid, $pid);
	exit(0);
}
