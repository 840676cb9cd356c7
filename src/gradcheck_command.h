// gradcheck_command.h: `./mnist gradcheck`, the gradient checker as a command.
//
//   ./mnist gradcheck                  check every backward pass and the optimizer; exit 0 only
//                                      if all pass
//   ./mnist gradcheck --bug NAME       the same checks with one planted mistake
//                                      (gradcheck_bugs.h); they must fail, exit 1
//   ./mnist gradcheck --list-bugs      the names --bug takes, one per line
//
// It prints one table row per tensor checked: layer, tensor, shape, largest relative error,
// pass or fail, and a reading of what the error means. The checks run on small random
// matrices from fixed seeds, in well under a second, and print the same table every time.
//
// Read next: docs/06-gradient-checking.md, which walks through the table.
#pragma once

// argv holds the arguments after "gradcheck". Throws UsageError on a bad one.
int gradcheck_command(int argc, char** argv);
