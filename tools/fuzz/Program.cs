using System.Diagnostics;
using Embedded.Fuzz;
using SharpFuzz;

// Fuzzing harness for the model reader and runtime (docs/FORMAT.md, "Fuzzing").
//   embedded-fuzz seeds DIR            write the seed corpus
//   embedded-fuzz afl [--repair-crc]   AFL++ target (after instrumenting Embedded.Shared.dll with sharpfuzz);
//                                      --repair-crc fixes each input's CRC first so AFL reaches the field checks
//   embedded-fuzz mutate [N] [SEED]    self-contained structure-aware mutation fuzzing, N cases
//   embedded-fuzz replay DIR           run every file in DIR (e.g. AFL findings) through the target
string mode = args.Length > 0 ? args[0] : "mutate";
switch (mode)
{
    case "seeds":
    {
        string dir = args.Length > 1 ? args[1] : "fuzz-seeds";
        Directory.CreateDirectory(dir);
        var seeds = Seeds.Create();
        for (int i = 0; i < seeds.Length; i++) File.WriteAllBytes(Path.Combine(dir, $"seed{i:D2}.bin"), seeds[i]);
        Console.WriteLine($"wrote {seeds.Length} seeds to {dir}");
        return 0;
    }
    case "afl":
    {
        bool repairCrc = args.Contains("--repair-crc");
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            byte[] bytes = memory.ToArray();
            if (repairCrc) ModelMutator.RepairCrc(bytes);
            FuzzTarget.Run(bytes);
        });
        return 0;
    }
    case "replay":
    {
        string dir = args.Length > 1 ? args[1] : ".";
        int accepted = 0, total = 0;
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            total++;
            if (FuzzTarget.Run(File.ReadAllBytes(file))) accepted++;
        }
        Console.WriteLine($"{total} files: {accepted} accepted, {total - accepted} rejected with ModelFormatException, no other failure");
        return 0;
    }
    case "mutate":
    {
        int cases = args.Length > 1 ? int.Parse(args[1]) : 100_000;
        int seed = args.Length > 2 ? int.Parse(args[2]) : Environment.TickCount;
        var seeds = Seeds.Create();
        var rng = new Random(seed);
        int accepted = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < cases; i++)
        {
            byte[] image = ModelMutator.Mutate(seeds[rng.Next(seeds.Length)], seeds[rng.Next(seeds.Length)], rng);
            try
            {
                if (FuzzTarget.Run(image)) accepted++;
            }
            catch (Exception e)
            {
                string crash = $"crash-{seed}-{i}.bin";
                File.WriteAllBytes(crash, image);
                Console.Error.WriteLine($"case {i} (seed {seed}): {e.GetType().Name}: {e.Message}; input saved to {crash}");
                return 1;
            }
        }
        Console.WriteLine($"{cases} mutated images in {clock.Elapsed.TotalSeconds:F1} s (seed {seed}): {accepted} accepted and ran, {cases - accepted} rejected with ModelFormatException, no other failure");
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': use seeds, afl, mutate or replay");
        return 2;
}
