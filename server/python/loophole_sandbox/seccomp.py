"""A seccomp filter for test processes: the system calls no test needs and an escape would, refused with
EPERM. Namespaces and mounts are set up before it (by bubblewrap or nsroot.py) and the filter is installed
in each test process after its privileges are dropped, so it narrows what the kernel exposes to the
candidate: no new namespaces, mounts, ptrace or reading other processes' memory, no kernel keyrings, BPF,
perf, userfaultfd or io_uring (whose operations seccomp cannot see), no modules, reboots or clock changes.

Linux on x86_64 and aarch64 only; elsewhere `install` returns False and the test runs without it.
"""

import ctypes
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1

BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_RET_K = 0x06

AUDIT_ARCH = {'x86_64': 0xC000003E, 'aarch64': 0xC00000B7}
X32_SYSCALL_BIT = 0x40000000

BLOCKED = {
    'x86_64': {
        'ptrace': 101,
        'process_vm_readv': 310,
        'process_vm_writev': 311,
        'pidfd_getfd': 438,
        'process_madvise': 440,
        'keyctl': 250,
        'add_key': 248,
        'request_key': 249,
        'bpf': 321,
        'perf_event_open': 298,
        'userfaultfd': 323,
        'unshare': 272,
        'setns': 308,
        'mount': 165,
        'umount2': 166,
        'pivot_root': 155,
        'chroot': 161,
        'open_tree': 428,
        'move_mount': 429,
        'fsopen': 430,
        'fsconfig': 431,
        'fsmount': 432,
        'fspick': 433,
        'mount_setattr': 442,
        'swapon': 167,
        'swapoff': 168,
        'reboot': 169,
        'kexec_load': 246,
        'kexec_file_load': 320,
        'init_module': 175,
        'finit_module': 313,
        'delete_module': 176,
        'open_by_handle_at': 304,
        'name_to_handle_at': 303,
        'io_uring_setup': 425,
        'io_uring_enter': 426,
        'io_uring_register': 427,
        'acct': 163,
        'settimeofday': 164,
        'clock_settime': 227,
        'adjtimex': 159,
        'syslog': 103,
        'vhangup': 153,
        'quotactl': 179,
        'fanotify_init': 300,
    },
    'aarch64': {
        'ptrace': 117,
        'process_vm_readv': 270,
        'process_vm_writev': 271,
        'pidfd_getfd': 438,
        'process_madvise': 440,
        'keyctl': 219,
        'add_key': 217,
        'request_key': 218,
        'bpf': 280,
        'perf_event_open': 241,
        'userfaultfd': 282,
        'unshare': 97,
        'setns': 268,
        'mount': 40,
        'umount2': 39,
        'pivot_root': 41,
        'chroot': 51,
        'open_tree': 428,
        'move_mount': 429,
        'fsopen': 430,
        'fsconfig': 431,
        'fsmount': 432,
        'fspick': 433,
        'mount_setattr': 442,
        'swapon': 224,
        'swapoff': 225,
        'reboot': 142,
        'kexec_load': 104,
        'kexec_file_load': 294,
        'init_module': 105,
        'finit_module': 273,
        'delete_module': 106,
        'open_by_handle_at': 265,
        'name_to_handle_at': 264,
        'io_uring_setup': 425,
        'io_uring_enter': 426,
        'io_uring_register': 427,
        'acct': 89,
        'settimeofday': 170,
        'clock_settime': 112,
        'adjtimex': 171,
        'syslog': 116,
        'vhangup': 58,
        'quotactl': 60,
        'fanotify_init': 262,
    },
}


def _insn(code, jt, jf, k):
    return struct.pack('HBBI', code, jt, jf, k)


def program(machine):
    """The BPF program for `machine`, or None where there is no table for it."""
    arch = AUDIT_ARCH.get(machine)
    blocked = sorted(set(BLOCKED.get(machine, {}).values()))
    if arch is None or not blocked:
        return None
    deny = SECCOMP_RET_ERRNO | EPERM
    insns = [
        _insn(BPF_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        _insn(BPF_JEQ_K, 1, 0, arch),  # our architecture: go on
        _insn(BPF_RET_K, 0, 0, deny),  # another ABI (32-bit entry points): refused
        _insn(BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if machine == 'x86_64':
        insns.append(_insn(BPF_JGE_K, len(blocked) + 1, 0, X32_SYSCALL_BIT))  # x32 numbers: refused
    for i, nr in enumerate(blocked):
        insns.append(_insn(BPF_JEQ_K, len(blocked) - i, 0, nr))
    insns.append(_insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    insns.append(_insn(BPF_RET_K, 0, 0, deny))
    return b''.join(insns)


class _SockFprog(ctypes.Structure):
    _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]


_PROGRAM = program(platform.machine())
_BUFFER = ctypes.create_string_buffer(_PROGRAM) if _PROGRAM else None


def install(libc):
    """Installs the filter in this process (and what it starts). True when it is in force."""
    if libc is None or _PROGRAM is None or _BUFFER is None:
        return False
    prog = _SockFprog(len(_PROGRAM) // 8, ctypes.cast(_BUFFER, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
