/*
 * pcap.d: the link types pcap( ) takes as its second argument. They are
 * libpcap's DLT_* numbers (pcap/dlt.h), which the consumer hands on to the
 * capture file (PCAP_IP is DLT_RAW: the packet starts with an IPv4 or
 * IPv6 header).
 */

inline int PCAP_NULL = 0;
inline int PCAP_ETHER = 1;
inline int PCAP_PPP = 9;
inline int PCAP_IP = 12;
inline int PCAP_WIFI = 105;
inline int PCAP_IPOIB = 242;
