/* args: -q */
/*
 * The address formatters with DTrace's output: inet_ntoa( ) of an
 * ipaddr_t, inet_ntoa6( ) (RFC 5952 form; IPv4-mapped and -compatible
 * addresses dotted, with "::ffff:" or "::" when strict), inet_ntop( )
 * choosing by family, link_ntop( ) for Ethernet and InfiniBand, and the
 * illegal-operation fault for another hardware type.
 */
BEGIN
{
	a = (ipaddr_t *)alloca(4);
	*a = htonl(0xc0a80001);
	printf("%s %s\n", inet_ntoa(a), inet_ntop(AF_INET, a));

	b = (uint16_t *)alloca(16);
	b[0] = htons(0x2001); b[1] = htons(0xdb8); b[2] = 0; b[3] = 0;
	b[4] = 0; b[5] = htons(0xff00); b[6] = htons(0x42); b[7] = htons(0x8329);
	printf("%s\n", inet_ntop(AF_INET6, b));
	b[1] = 0; b[2] = htons(1); b[5] = 0; b[6] = 0; b[7] = htons(1);
	printf("%s\n", inet_ntoa6((struct in6_addr *)b));
	b[0] = 0; b[1] = 0; b[2] = 0; b[3] = 0; b[4] = 0; b[5] = 0xffff;
	b[6] = htons(0x0a00); b[7] = htons(0x0001);
	printf("%s %s\n", inet_ntoa6((struct in6_addr *)b), inet_ntoa6((struct in6_addr *)b, 1));
	b[5] = 0;
	printf("%s %s\n", inet_ntoa6((struct in6_addr *)b), inet_ntoa6((struct in6_addr *)b, 1));
	b[6] = 0; b[7] = htons(1);
	printf("%s\n", inet_ntoa6((struct in6_addr *)b));
	b[7] = 0;
	printf("%s\n", inet_ntoa6((struct in6_addr *)b));

	e = (uint8_t *)alloca(20);
	e[0] = 0x00; e[1] = 0x1b; e[2] = 0x21; e[3] = 0xab; e[4] = 0xcd; e[5] = 0xef;
	printf("%s\n", link_ntop(ARPHRD_ETHER, e));
	printf("%s\n", link_ntop(ARPHRD_INFINIBAND, e));
	step = 1;
}

BEGIN
{
	trace(link_ntop(7, alloca(6)));
}

BEGIN
{
	exit(0);
}

ERROR
{
	printf("ERROR: fault %d addr %d\n", arg4, arg5);
}
