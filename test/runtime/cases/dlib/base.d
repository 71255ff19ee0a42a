/* The file points.d depends on. */
inline int SCALE = 10;
