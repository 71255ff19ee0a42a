/* args: -q -x nspec=20000 */
/*
 * The verifier follows each speculation( ) call's scan of the ids one by
 * one: nspec times the calls is bounded, and a larger nspec is refused
 * before anything is loaded.
 */
BEGIN { a = speculation(); b = speculation(); }
BEGIN { exit(0); }
