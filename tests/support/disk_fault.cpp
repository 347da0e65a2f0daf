// A failing disk for tests, loaded into the real `loudong` process with LD_PRELOAD.
//
// While the file named by LOUDONG_FAULT_FLAG exists, every write and sync to a file whose path
// starts with LOUDONG_FAULT_PATH fails with the errno the flag file names: "ENOSPC" (the disk
// is full, the default), "EROFS" (remounted read-only) or "EIO". SQLite sees exactly what it
// would see from a real full or read-only disk; removing the flag file is the disk coming back.

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

/// The errno to fail a write to `fd` with, or 0 to let it through.
int injected_errno(int fd) {
    const char* flag = std::getenv("LOUDONG_FAULT_FLAG");
    const char* prefix = std::getenv("LOUDONG_FAULT_PATH");
    if (flag == nullptr || prefix == nullptr) {
        return 0;
    }
    const int flag_fd = ::open(flag, O_RDONLY | O_CLOEXEC);
    if (flag_fd < 0) {
        return 0;
    }
    char kind[16] = {};
    const auto ignored = ::read(flag_fd, kind, sizeof kind - 1);
    (void)ignored;
    ::close(flag_fd);
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char path[4096];
    const auto length = ::readlink(link, path, sizeof path - 1);
    if (length <= 0) {
        return 0;
    }
    path[length] = '\0';
    if (std::strncmp(path, prefix, std::strlen(prefix)) != 0) {
        return 0;
    }
    if (std::strncmp(kind, "EROFS", 5) == 0) {
        return EROFS;
    }
    if (std::strncmp(kind, "EIO", 3) == 0) {
        return EIO;
    }
    return ENOSPC;
}

template <typename F>
F real(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

/// Fails the call as the disk would, or passes it on to the C library.
template <typename R, typename... Args>
R pass_or_fail(R (*next)(int, Args...), int fd, Args... args) {
    if (const int e = injected_errno(fd)) {
        errno = e;
        return -1;
    }
    return next(fd, args...);
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buffer, size_t size) {
    static const auto next = real<decltype(&write)>("write");
    return pass_or_fail(next, fd, buffer, size);
}

ssize_t pwrite(int fd, const void* buffer, size_t size, off_t offset) {
    static const auto next = real<decltype(&pwrite)>("pwrite");
    return pass_or_fail(next, fd, buffer, size, offset);
}

ssize_t pwrite64(int fd, const void* buffer, size_t size, off64_t offset) {
    static const auto next = real<decltype(&pwrite64)>("pwrite64");
    return pass_or_fail(next, fd, buffer, size, offset);
}

int fsync(int fd) {
    static const auto next = real<decltype(&fsync)>("fsync");
    return pass_or_fail(next, fd);
}

int fdatasync(int fd) {
    static const auto next = real<decltype(&fdatasync)>("fdatasync");
    return pass_or_fail(next, fd);
}

}  // extern "C"
