# IPython kernel configuration for the book's build environment only: make
# installs it as .venv/etc/ipython/ipython_kernel_config.py, which every
# kernel that executes a chapter reads at start.
#
# The chapters run on kernels that nbclient starts on 127.0.0.1 over TCP,
# and ipykernel 7 warns about the unencrypted transport at every start: 32
# identical lines in the build log that say nothing about the book. Only
# that notice is dropped; every other kernel message still reaches the log.
import logging


class _DropTcpNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "Kernel is running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_DropTcpNotice())
