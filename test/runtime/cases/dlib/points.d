/* A user D library file for dlib-path.d and dlib-libdir.d: a type, a
   translator from a scalar and an inline using it; it depends on base.d
   of the same directory. */
#pragma D depends_on library base.d

typedef struct point {
	int x;
	int y;
} point_t;

translator point_t < int v > {
	x = v;
	y = v * SCALE;
};

inline point_t *unit = xlate <point_t *> (1);
