/* args: -q */
/* Deep expressions that make the register allocator spill: a right-nested
   sum of 40 variables, nested ternaries, long && / || chains, and values
   live across helper calls. */
BEGIN
{
	v1 = 1; v2 = 2; v3 = 3; v4 = 4; v5 = 5; v6 = 6; v7 = 7; v8 = 8; v9 = 9; v10 = 10;
	v11 = 11; v12 = 12; v13 = 13; v14 = 14; v15 = 15; v16 = 16; v17 = 17; v18 = 18; v19 = 19; v20 = 20;
	v21 = 21; v22 = 22; v23 = 23; v24 = 24; v25 = 25; v26 = 26; v27 = 27; v28 = 28; v29 = 29; v30 = 30;
	v31 = 31; v32 = 32; v33 = 33; v34 = 34; v35 = 35; v36 = 36; v37 = 37; v38 = 38; v39 = 39; v40 = 40;
}

BEGIN
{
	printf("%d\n", v1 + (v2 + (v3 + (v4 + (v5 + (v6 + (v7 + (v8 + (v9 + (v10 +
	    (v11 + (v12 + (v13 + (v14 + (v15 + (v16 + (v17 + (v18 + (v19 + (v20 +
	    (v21 + (v22 + (v23 + (v24 + (v25 + (v26 + (v27 + (v28 + (v29 + (v30 +
	    (v31 + (v32 + (v33 + (v34 + (v35 + (v36 + (v37 + (v38 + (v39 + v40)))))))))))))))))))))))))))))))))))))));
	printf("%d\n", v1 * (v2 - (v3 * (v4 - (v5 * (v6 - (v7 * (v8 - (v9 * (v10 - 1))))))))));
	printf("%d\n", v1 > 0 ? (v2 > 5 ? 100 : (v3 > 2 ? (v4 < 4 ? 200 : (v5 == 5 ? (v6 != 6 ? 300 : 400) : 500)) : 600)) : 700);
	printf("%d %d\n", v1 && v2 && v3 && v4 && v5 && v6 && v7 && v8 && v9 && v10 && v11 && v12,
	    v1 == 0 || v2 == 0 || v3 == 0 || v4 == 0 || v5 == 0 || v6 == 0 || v7 == 0 || v8 == 7);
	printf("%d\n", (v1 + (execname == "dtrace") + (v2 + (pid > 0) + (v3 + (execname != "x") + (v4 + (timestamp > 0))))));
	exit(0);
}
