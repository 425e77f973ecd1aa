using System.Text;
using Embedded.Shared.Model;

namespace Embedded.Runtime.Tests;

public class Crc32Tests
{
    [Fact]
    public void Matches_the_standard_check_value()
    {
        byte[] data = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, Crc32.Compute(data, 0, data.Length));
    }

    [Fact]
    public void Incremental_update_equals_one_shot()
    {
        byte[] data = new byte[1000];
        new Random(7).NextBytes(data);
        uint running = Crc32.Update(Crc32.Start, data, 0, 333);
        running = Crc32.Update(running, data, 333, 667);
        Assert.Equal(Crc32.Compute(data, 0, data.Length), Crc32.Finish(running));
    }
}
