/* Declarations and definitions. */
typedef unsigned long long counter_t;
struct pair {
	int a : 4, b : 4;
	char *name[2];
	union { counter_t c; void *p; } u;
};
enum color { RED, GREEN = 5, BLUE };
self struct pair *cur;
this int n;
counter_t totals[string, int];
int (*handler)(int, char *, ...);
inline int TWICE = 2 * 2;
inline counter_t sum2[counter_t x, counter_t y] = x + y;

translator struct pair < int *p > {
	a = *p;
	b = p[1];
};

provider demo {
	probe start(int, char *);
	probe stop() : (string);
};

BEGIN
{
	x = sizeof (struct pair) + offsetof(struct pair, u) + sizeof totals;
	y = xlate<struct pair>((int *)&n).a;
	z = (counter_t)-1 >> 3;
	s = stringof(`max_pfn) == "x" ? vmlinux`jiffies : 0;
}
