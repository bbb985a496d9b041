# SPDX-License-Identifier: GPL-2.0
#
# Thin driver for kbuild; the object list lives in Kbuild.
# dkms passes KERNELRELEASE on the command line, so this file must not use it to
# detect the kbuild pass (see ../shared/facts.md).

KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

# Build against every Debian kernel the project supports, with W=1, failing on
# any compiler warning.
build-all:
	bash scripts/build-all.sh

# The Debian package build/deb/v9x-dkms_VERSION_all.deb (dh-dkms), built in
# the Debian 13 chroot of scripts/trixie.sh (as root).
deb:
	bash scripts/deb.sh

demo:
	bash scripts/demo.sh

check:
	bash selftests/run.sh

# Every kernel with every QEMU, full suites (a release; see README.md).
check-all:
	V9X_MATRIX=all bash selftests/run.sh

# checkpatch --strict and sparse (the W=1 builds are in build-all).
lint:
	bash scripts/lint.sh

# libFuzzer on proto.c for V9X_FUZZ_SECONDS (default 60).
fuzz:
	bash selftests/fuzz/run.sh

# Side-by-side benchmark against the in-kernel 9p client (not a test).
bench:
	bash scripts/bench.sh

# Guest CPU profiles (perf) and requests per operation, v9x against the
# in-kernel client, for the workloads where make bench shows a gap.
profile:
	bash scripts/profile.sh

.PHONY: all modules clean build-all deb demo check check-all bench profile lint fuzz
