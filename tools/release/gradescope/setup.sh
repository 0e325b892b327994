#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image:
# it installs the Debian packages netlab needs, then builds the kit ahead (the
# library, the test objects), so that grading a submission compiles only the
# student's logic files. (tools/netlab-release --gradescope wrote this zip;
# handouts/instructor.md, "Grading on Gradescope", says how to upload it.)
set -euo pipefail

# Gradescope's root; another one only to try the autograder elsewhere.
autograder=${NETLAB_AUTOGRADER:-/autograder}
kit=$autograder/source/netlab

bash "$kit/tools/deps.sh"
"$kit/tools/netlab-grade" --prepare
