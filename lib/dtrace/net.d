/*
 * net.d: the constants the network subroutines take: address families
 * for inet_ntop() and hardware types for link_ntop(), as Linux numbers
 * them (include/linux/socket.h, include/uapi/linux/if_arp.h).
 */

inline int AF_INET = 2;
inline int AF_INET6 = 10;

inline int ARPHRD_ETHER = 1;
inline int ARPHRD_INFINIBAND = 32;
