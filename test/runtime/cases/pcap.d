/* args: -q -x pcapsize=16 */
/*
 * pcap( ) with no capture file (no freopen( ), no tshark on the test
 * machine) prints the captured bytes as tracemem( ) does. No probe here
 * gives an sk_buff, so one is built in alloca memory around kernel data
 * (the task's name): the capture is the linear data, len - data_len,
 * read from skb->data. A NULL skb captures nothing and prints nothing;
 * an skb whose data cannot be read captures zeros, without a fault; a
 * length past pcapsize (16 here) is cut to it.
 */

BEGIN
{
	this->skb = (struct sk_buff *)alloca(sizeof(struct sk_buff));
	this->skb->len = 10;
	this->skb->data_len = 4;
	this->skb->data = (unsigned char *)curthread->comm;
	pcap(this->skb, PCAP_IP);
	pcap(0, PCAP_IP);
	this->skb->len = 3;
	this->skb->data_len = 0;
	this->skb->data = (unsigned char *)8;
	pcap(this->skb, PCAP_ETHER);
	this->skb->len = 100000;
	this->skb->data = (unsigned char *)curthread->comm;
	pcap(this->skb, PCAP_IP);
	exit(0);
}

ERROR
{
	printf("unexpected fault\n");
	exit(1);
}
