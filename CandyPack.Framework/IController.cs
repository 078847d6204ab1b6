namespace CandyPack;

/// <summary>
/// A controller: the code a route target such as <c>"hello"</c> reaches. Its location comes from its
/// namespace and name: <c>MySite.Controller.Hello.Get.Index</c> lives in <c>controller/hello/get/index</c>.
/// </summary>
/// <remarks>
/// Controllers are created per request through dependency injection, so constructors may take
/// <c>ILogger&lt;T&gt;</c>, options and the site's services. Use <see cref="IController{TResult}"/> to
/// answer with a returned value instead of calling <see cref="Candy.Return(object?, int)"/>.
/// </remarks>
public interface IController
{
    /// <summary>Handles one request.</summary>
    /// <param name="candy">The request's facade: streaming, responses, request values and data.</param>
    Task Handle(Candy candy);
}
