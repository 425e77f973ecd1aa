using Embedded.BitExact;
using Embedded.Firmware;
using Embedded.Shared.Flashing;
using Embedded.Shared.Kernels;

namespace Embedded.NanoRam
{
    /// <summary>
    /// Managed-heap probe, nanoFramework v1 C#, run by tools/nanoclr-ram on nanoCLR with a patched heap size: the
    /// smallest heap at which a mode completes is what that mode needs at its peak (nanoCLR collects and compacts
    /// before it throws OutOfMemoryException). Every mode allocates the same fixtures first (the "flash" slots,
    /// the PC side: its copy of the update image, its FlashSender and the serial queues, none of which a device holds), so differences between modes are
    /// the firmware's own heap. Mode 0: the fixtures only. Mode 1: + FirmwareApp boot on the embedded model and
    /// 2 s of samples. Mode 2: + a complete model update over the flashing protocol (the running model stays loaded
    /// until the new one is verified) and 2 s of samples on the new model. Mode 3 (a control): boot and 6 s of samples, no update. Mode 4: nothing
    /// at all (nanoCLR, the assemblies and the program's statics). Prints END when the mode completed.
    /// </summary>
    public static class RamProgram
    {
        public static void Main()
        {
            try
            {
                int mode = RamCase.Mode();
                if (mode == 4)
                {
                    // nanoCLR alone: mscorlib, this program and its statics (the embedded model's array), nothing else.
                    Out.Line("END");
                    return;
                }
                byte[] update = RamCase.Update();
                SlotFileStore files = new SlotFileStore(3, update.Length + 1024);
                FixedQueue toDevice = new FixedQueue(16 * 1024);
                FixedQueue toPc = new FixedQueue(16 * 1024);
                QueueLink device = new QueueLink(toDevice, toPc);
                QueueLink pc = new QueueLink(toPc, toDevice);
                SimClock clock = new SimClock();
                // The PC side is a fixture too: its sender (frame buffers) exists in every mode, and the queues have a
                // fixed capacity, so the update allocates nothing on the PC's behalf.
                FlashSender sender = new FlashSender(pc, clock, update, null, 4242);
                sender.ResponseTimeoutMs = 50;
                sender.CommitTimeoutMs = 5000;
                Out.Line("FIXTURES update=" + update.Length.ToString());
                if (mode >= 1)
                {
                    FirmwareConfig config = new FirmwareConfig();
                    PortableKernel kernel = new PortableKernel(config.PackedBytesPerMatrix);
                    SensorSampler sampler = new SensorSampler(new FakeAdc(), config.AdcVoltsPerCount, null, 0);
                    FirmwareApp app = new FirmwareApp(config, device, clock, files, new DefaultModel(), new GoldenVectorValidator(kernel),
                        new ModelRunnerFactory(kernel), sampler, new FakeLed());
                    app.Boot();
                    RunFor(app, clock, null, 2000, toPc);
                    Out.Line("BOOT samples=" + app.Samples.ToString() + " source=" + app.ModelSource);
                    if (mode == 3)
                    {
                        // Control: as long a run as mode 2 with no update (the heap must not grow with time).
                        RunFor(app, clock, null, 4000, toPc);
                        Out.Line("UPDATED samples=" + app.Samples.ToString() + " source=" + app.ModelSource);
                    }
                    if (mode == 2)
                    {
                        int ms = 0;
                        while (!sender.IsFinished && ms < 600000)
                        {
                            sender.Poll();
                            app.Tick();
                            clock.NowMilliseconds = clock.NowMilliseconds + 1;
                            ms++;
                        }
                        Out.Line("FLASH state=" + ((int)sender.State).ToString() + " failure=" + ((int)sender.Failure).ToString() + " " + sender.FailureMessage);
                        RunFor(app, clock, null, 2000, toPc);
                        Out.Line("UPDATED samples=" + app.Samples.ToString() + " source=" + app.ModelSource);
                    }
                }
                Out.Line("END");
            }
            catch (System.Exception e)
            {
                Out.Line("EXCEPTION " + e.GetType().FullName);
            }
        }

        /// <summary>Ticks the app; what it writes to the PC is read and dropped (a UART's far end).</summary>
        private static void RunFor(FirmwareApp app, SimClock clock, FlashSender sender, int milliseconds, FixedQueue toPc)
        {
            byte[] sink = new byte[64];
            for (int i = 0; i < milliseconds; i++)
            {
                app.Tick();
                while (toPc.Read(sink, 0, sink.Length) > 0)
                {
                }
                clock.NowMilliseconds = clock.NowMilliseconds + 1;
            }
        }
    }

    /// <summary>A byte ring of fixed capacity (allocated once); writing past it throws.</summary>
    public sealed class FixedQueue
    {
        private readonly byte[] _data;
        private int _head;
        private int _count;

        public FixedQueue(int capacity)
        {
            _data = new byte[capacity];
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            if (_count + count > _data.Length) throw new System.InvalidOperationException("queue full");
            for (int i = 0; i < count; i++) _data[(_head + _count + i) % _data.Length] = buffer[offset + i];
            _count += count;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = count < _count ? count : _count;
            for (int i = 0; i < n; i++) buffer[offset + i] = _data[(_head + i) % _data.Length];
            _head = (_head + n) % _data.Length;
            _count -= n;
            return n;
        }
    }

    /// <summary>One end of an in-memory serial line; reads at most 64 bytes a call, like a UART FIFO.</summary>
    public sealed class QueueLink : ISerialLink
    {
        private readonly FixedQueue _incoming;
        private readonly FixedQueue _outgoing;

        public QueueLink(FixedQueue incoming, FixedQueue outgoing)
        {
            _incoming = incoming;
            _outgoing = outgoing;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            return _incoming.Read(buffer, offset, count < 64 ? count : 64);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _outgoing.Write(buffer, offset, count);
        }
    }

    /// <summary>"Flash" files in slots allocated once, so writing a file allocates nothing (a device writes flash, not heap).</summary>
    public sealed class SlotFileStore : IFileStore
    {
        private readonly string[] _names;
        private readonly byte[][] _slots;
        private readonly int[] _lengths;

        public SlotFileStore(int slots, int capacity)
        {
            _names = new string[slots];
            _slots = new byte[slots][];
            _lengths = new int[slots];
            for (int i = 0; i < slots; i++) _slots[i] = new byte[capacity];
        }

        public bool Exists(string name)
        {
            return Find(name) >= 0;
        }

        public int Length(string name)
        {
            int i = Find(name);
            return i < 0 ? -1 : _lengths[i];
        }

        public byte[] ReadAll(string name)
        {
            int i = Find(name);
            if (i < 0) throw new System.IO.IOException("no file " + name);
            byte[] copy = new byte[_lengths[i]];
            System.Array.Copy(_slots[i], copy, copy.Length);
            return copy;
        }

        public IFileWriter Create(string name)
        {
            Delete(name);
            for (int i = 0; i < _names.Length; i++)
            {
                if (object.ReferenceEquals(_names[i], null))
                {
                    _names[i] = name;
                    _lengths[i] = 0;
                    return new SlotWriter(this, i);
                }
            }
            throw new System.IO.IOException("store full");
        }

        public void Delete(string name)
        {
            int i = Find(name);
            if (i >= 0) _names[i] = null;
        }

        public void Rename(string from, string to)
        {
            int i = Find(from);
            if (i < 0 || Find(to) >= 0) throw new System.IO.IOException("cannot rename " + from + " to " + to);
            _names[i] = to;
        }

        internal void Append(int slot, byte[] buffer, int offset, int count)
        {
            System.Array.Copy(buffer, offset, _slots[slot], _lengths[slot], count);
            _lengths[slot] += count;
        }

        private int Find(string name)
        {
            for (int i = 0; i < _names.Length; i++)
            {
                if (!object.ReferenceEquals(_names[i], null) && _names[i] == name) return i;
            }
            return -1;
        }
    }

    public sealed class SlotWriter : IFileWriter
    {
        private readonly SlotFileStore _store;
        private readonly int _slot;

        public SlotWriter(SlotFileStore store, int slot)
        {
            _store = store;
            _slot = slot;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _store.Append(_slot, buffer, offset, count);
        }

        public void Close()
        {
        }
    }
}
