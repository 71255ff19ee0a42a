/*
 * ip.d: Internet Protocol types. ipaddr_t is an IPv4 address as it is
 * stored, in network byte order: what inet_ntoa() takes a pointer to.
 */

typedef uint32_t ipaddr_t;
