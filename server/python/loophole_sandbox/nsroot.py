"""Builds the worker's view of the file system where bubblewrap is missing (isolation `namespaces`).

The worker is started by `unshare` in fresh PID, network, mount, IPC and UTS namespaces (and a user
namespace when the server is not root), as root of those namespaces. Before reading any job it makes a
new root on a tmpfs holding only read-only bind mounts of the system directories, the Python install and
the sandbox package, a fresh /proc (its own PID namespace: no host processes), a minimal /dev, and
size-capped /tmp and /dev/shm; then pivots into it and detaches the old root. The host's home, the
workspace and the data folder are not in it.
"""

import ctypes
import json
import os
import platform

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2

SYS_PIVOT_ROOT = {'x86_64': 155, 'aarch64': 41, 'riscv64': 41, 'ppc64le': 203, 's390x': 217}

DEVICES = ('null', 'zero', 'full', 'random', 'urandom')


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    return libc


def _check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, '%s: %s' % (what, os.strerror(err)))


def build(spec):
    """`spec`: {"ro": [dir…], "symlinks": [[target, path]…], "pkg": dir, "pkgAt": dir, "tmpBytes": n}."""
    libc = _libc()

    def mount(src, dst, fstype, flags, data=None):
        _check(
            libc.mount(src and src.encode(), dst.encode(), fstype and fstype.encode(), flags, data and data.encode()),
            'mount %s on %s' % (src or fstype, dst),
        )

    def bind_ro(src, dst):
        mount(src, dst, None, MS_BIND | MS_REC)
        mount(None, dst, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)

    mount(None, '/', None, MS_REC | MS_PRIVATE)
    base = '/tmp'
    mount('tmpfs', base, 'tmpfs', MS_NOSUID | MS_NODEV, 'size=%d,mode=755' % (64 << 20))
    root = os.path.join(base, 'root')
    os.mkdir(root, 0o755)
    mount('tmpfs', root, 'tmpfs', MS_NOSUID | MS_NODEV, 'size=%d,mode=755' % (1 << 20))

    def place(path, is_dir=True):
        target = root + path
        os.makedirs(os.path.dirname(target), 0o755, exist_ok=True)
        if is_dir:
            os.makedirs(target, 0o755, exist_ok=True)
        elif not os.path.exists(target):
            open(target, 'w').close()
        return target

    for target, path in spec.get('symlinks', []):
        os.makedirs(os.path.dirname(root + path), 0o755, exist_ok=True)
        os.symlink(target, root + path)
    for path in spec['ro']:
        bind_ro(path, place(path))
    bind_ro(spec['pkg'], place(spec['pkgAt']))
    mount('proc', place('/proc'), 'proc', MS_NOSUID | MS_NODEV | MS_NOEXEC)
    dev = place('/dev')
    mount('tmpfs', dev, 'tmpfs', MS_NOSUID | MS_NOEXEC, 'size=65536,mode=755')
    for name in DEVICES:
        if os.path.exists('/dev/' + name):
            mount('/dev/' + name, place('/dev/' + name, is_dir=False), None, MS_BIND)
    for link, target in (
        ('fd', '/proc/self/fd'),
        ('stdin', '/proc/self/fd/0'),
        ('stdout', '/proc/self/fd/1'),
        ('stderr', '/proc/self/fd/2'),
    ):
        os.symlink(target, os.path.join(dev, link))
    size = int(spec['tmpBytes'])
    mount('tmpfs', place('/dev/shm'), 'tmpfs', MS_NOSUID | MS_NODEV, 'size=%d,mode=1777' % size)
    mount('tmpfs', place('/tmp'), 'tmpfs', MS_NOSUID | MS_NODEV, 'size=%d,mode=1777' % size)
    # Read-only once everything is in place: nothing but /tmp and /dev/shm can be written.
    mount(None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, 'size=%d,mode=755' % (1 << 20))

    old = os.path.join(root, 'tmp')  # pivot_root needs a directory under the new root to put the old one
    nr = SYS_PIVOT_ROOT.get(platform.machine())
    if nr is None:
        raise OSError('pivot_root: unknown system call number on %s' % platform.machine())
    os.chdir(root)
    _check(libc.syscall(nr, b'.', b'.'), 'pivot_root')
    # With new_root == put_old, the old root is stacked over the new one: detach it.
    _check(libc.umount2(b'.', MNT_DETACH), 'detach the old root')
    os.chdir('/')
    del old


def main_spec(text):
    build(json.loads(text))
