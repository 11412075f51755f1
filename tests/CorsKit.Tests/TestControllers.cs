using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CorsKit.Tests;

[ApiController]
[Route("mvc/items")]
[CorsKitPolicy("partner")]
public sealed class ItemsController : ControllerBase
{
    [HttpGet]
    public string List() => "items";

    [HttpPut("{id}")]
    public string Put(int id) => $"put {id}";

    [HttpDelete("{id}")]
    [CorsKitPolicy("admin")]
    public string Delete(int id) => $"deleted {id}";

    [HttpPost("secure")]
    [Authorize]
    public string Secure() => "secure";
}

[ApiController]
[Route("mvc/internal")]
[DisableCorsKit]
public sealed class InternalController : ControllerBase
{
    [HttpPut]
    public string Put() => "internal";

    [HttpPatch]
    [CorsKitPolicy("partner")]
    public string Patch() => "patched";
}
