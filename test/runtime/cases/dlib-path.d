/* args: -q -L dlib */
/* A library directory given with -L: its files are indexed at start-up
   and loaded when a name they define is used (dependencies first). */
BEGIN
{
	printf("%d %d %d\n", unit->x, unit->y, xlate<point_t>(4).y);
	exit(0);
}
