/* args: -q -xlibdir=dlib */
/* -xlibdir is the long form of -L. */
BEGIN
{
	p = xlate<point_t>(SCALE);
	printf("%d %d\n", p.x, p.y);
	exit(0);
}
