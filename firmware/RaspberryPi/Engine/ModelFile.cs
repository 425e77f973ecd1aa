using System.Runtime.InteropServices;
using Embedded.Shared.Model;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Edge.Engine;

/// <summary>
/// Reads a model file without ever blocking or reading without bound: the file is opened non-blocking
/// (a FIFO would otherwise block in open() until a writer comes), anything that is not a seekable file
/// (FIFO, socket, tty) is refused, a size above the format's maximum is refused before reading, and at
/// most size + 1 bytes are read, so a device that reports no size but yields bytes (a symlink to
/// /dev/zero) is refused too.
/// </summary>
public static class ModelFile
{
    /// <summary>The file's bytes; <see cref="ModelRejectedException"/> for a file that cannot be a model, IOException when it cannot be opened now.</summary>
    public static byte[] Read(string path, long maxLength = ModelFormat.MaxImageLength)
    {
        using SafeFileHandle handle = OpenNonBlocking(path);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek) throw new ModelRejectedException("not a regular file (a FIFO, socket or terminal); refused without reading it.");
        long length = stream.Length;
        if (length > maxLength) throw new ModelRejectedException($"{length} bytes, more than the largest model the format allows ({maxLength}); refused without reading it.");
        var buffer = new byte[length + 1];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
        }

        if (total > length) throw new ModelRejectedException($"yields more bytes than its size ({length}): a device, or a file still being written; refused.");
        return total == buffer.Length ? buffer : buffer.AsSpan(0, total).ToArray();
    }

    private static SafeFileHandle OpenNonBlocking(string path)
    {
        if (OperatingSystem.IsWindows()) return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // O_RDONLY | O_NONBLOCK | O_CLOEXEC (Linux on x86, x64, arm, arm64; macOS has its own values).
        int flags = OperatingSystem.IsMacOS() ? 0x0004 | 0x01000000 : 0x0800 | 0x080000;
        int fd = Open(path, flags);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string reason = errno switch
            {
                2 => "no such file",
                13 => "permission denied",
                _ => Marshal.GetPInvokeErrorMessage(errno),
            };
            throw new IOException($"cannot open '{path}': {reason}.");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}
