/* args: -q */
/*
 * Byte order, device numbers, rand( ), progenyof( ) and the lock queries,
 * with DTrace's results (every mutex is adaptive on Linux; a lock nobody
 * holds has no owner).
 */
BEGIN
{
	printf("%x %x %x\n", htons(0x1234), htonl(0x12345678), htonll(0x0102030405060708));
	printf("%x %x %x\n", ntohs(0x1234), ntohl(0x12345678), ntohll(0x0102030405060708));
	printf("%x\n", htons(0x123456));
	printf("%d %d\n", getmajor(0x800011), getminor(0x800011));
	printf("%d %d\n", getmajor(0x10300005), getminor(0x10300005));
	r = rand();
	printf("rand: %d\n", r == (int)r);
	printf("progenyof: %d %d %d\n", progenyof($pid), progenyof(0), progenyof(-5));
	m = &curthread->signal->cred_guard_mutex;
	printf("mutex: %d %d %d %d\n", mutex_owned(m), mutex_owner(m) == NULL, mutex_type_adaptive(m), mutex_type_spin(m));
	exit(0);
}
