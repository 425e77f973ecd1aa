using System.Text;

namespace Embedded.Trainer.Data;

/// <summary>
/// A character corpus with d2l.ai's preprocessing for The Time Machine: each line has every run of
/// non-letters replaced by one space, is trimmed and lower-cased, and the lines are concatenated.
/// The vocabulary has 28 symbols: index 0 is "unknown" (written '?'), 1 is space, 2..27 are 'a'..'z'.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The vocabulary string: symbol id = index. '?' stands for unknown.</summary>
    public const string D2lVocabulary = "? abcdefghijklmnopqrstuvwxyz";

    private TextCorpus(int[] symbols, string vocabulary)
    {
        Symbols = symbols;
        Vocabulary = vocabulary;
    }

    /// <summary>The corpus as symbol ids.</summary>
    public int[] Symbols { get; }
    public string Vocabulary { get; }
    public int VocabularySize => Vocabulary.Length;

    /// <summary>Loads a text file; <paramref name="maxSymbols"/> &gt; 0 keeps only the first that many (d2l uses 10,000).</summary>
    public static TextCorpus Load(string path, int maxSymbols = 0)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, null, "file not found");
        string text = Preprocess(File.ReadAllLines(path));
        if (text.Length == 0) throw new DataFormatException(path, 0, null, "the text has no letters");
        if (maxSymbols > 0 && text.Length > maxSymbols) text = text[..maxSymbols];
        return new TextCorpus(Encode(text), D2lVocabulary);
    }

    public static TextCorpus FromText(string text) => new(Encode(Preprocess(text.Split('\n'))), D2lVocabulary);

    /// <summary>d2l's `re.sub('[^A-Za-z]+', ' ', line).strip().lower()` per line, lines concatenated.</summary>
    public static string Preprocess(IEnumerable<string> lines)
    {
        var all = new StringBuilder();
        var line = new StringBuilder();
        foreach (string raw in lines)
        {
            line.Clear();
            bool gap = false;
            foreach (char ch in raw)
            {
                bool letter = ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
                if (letter) { if (gap && line.Length > 0) line.Append(' '); gap = false; line.Append(char.ToLowerInvariant(ch)); }
                else gap = true;
            }
            all.Append(line);
        }
        return all.ToString();
    }

    public static int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++) ids[i] = SymbolId(text[i]);
        return ids;
    }

    public static int SymbolId(char ch)
    {
        if (ch == ' ') return 1;
        char lower = char.ToLowerInvariant(ch);
        return lower is >= 'a' and <= 'z' ? 2 + (lower - 'a') : 0;
    }

    public string Decode(IEnumerable<int> ids) => new(ids.Select(i => Vocabulary[i]).ToArray());
}
