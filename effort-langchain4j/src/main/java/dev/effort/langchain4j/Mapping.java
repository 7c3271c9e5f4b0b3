package dev.effort.langchain4j;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.client.EffortClient;
import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Content;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.Message;
import dev.effort.core.Passthrough;
import dev.effort.core.StopReason;
import dev.effort.core.Tool;
import dev.effort.core.ToolChoice;
import dev.effort.core.Tools;
import dev.effort.server.ModelField;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** LangChain4j requests to {@link Ask}s, and {@link Answer}s back to LangChain4j responses. */
final class Mapping {
  private Mapping() {}

  /**
   * The ask of a request: its messages, tools, output cap and stop sequences; the level from
   * {@link EffortRequestParameters#effort()}, else the model name, else {@code defaultLevel}.
   *
   * @throws UnsupportedOperationException naming what Effort cannot honour (sampling parameters, a
   *     JSON response format, audio, video, PDF or custom messages)
   * @throws IllegalArgumentException for a model name the client does not serve, listing the accepted ones
   */
  static Ask ask(ChatRequest request, EffortClient client, Effort defaultLevel) {
    ChatRequestParameters p = request.parameters();
    refuseSampling(p);
    Effort level = defaultLevel;
    Optional<String> pinned = Optional.empty();
    String name = p.modelName();
    if (name != null && !name.isBlank()) {
      ModelField field;
      try {
        field = ModelField.parse(name, client.catalog(), client.models());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      level = field.level().orElse(level);
      pinned = field.pinned();
    }
    Optional<Duration> deadline = Optional.empty();
    Optional<Double> maxCost = Optional.empty();
    if (p instanceof EffortRequestParameters e) {
      level = e.effort() != null ? e.effort() : level;
      deadline = Optional.ofNullable(e.deadline());
      maxCost = Optional.ofNullable(e.maxCostUsd());
    }
    return new Ask(messages(request.messages()), level, pinned, deadline, maxCost, Optional.empty(), Map.of(),
        p.maxOutputTokens() == null ? OptionalInt.empty() : OptionalInt.of(p.maxOutputTokens()), tools(p),
        p.stopSequences() == null ? List.of() : p.stopSequences(), Passthrough.NONE);
  }

  private static void refuseSampling(ChatRequestParameters p) {
    List<String> set = new ArrayList<>();
    if (p.temperature() != null) {
      set.add("temperature");
    }
    if (p.topP() != null) {
      set.add("topP");
    }
    if (p.topK() != null) {
      set.add("topK");
    }
    if (p.frequencyPenalty() != null) {
      set.add("frequencyPenalty");
    }
    if (p.presencePenalty() != null) {
      set.add("presencePenalty");
    }
    if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
      set.add("responseFormat JSON");
    }
    if (!set.isEmpty()) {
      throw new UnsupportedOperationException("Effort does not take " + String.join(", ", set)
          + ": each level's plan sets its own sampling; leave them unset (the effort level is the dial)");
    }
  }

  static List<Message> messages(List<ChatMessage> messages) {
    List<Message> out = new ArrayList<>();
    for (ChatMessage m : messages) {
      switch (m) {
        case SystemMessage s -> out.add(new Message("system", s.text()));
        case UserMessage u -> out.add(new Message("user", u.contents().stream().map(Mapping::content).toList()));
        case AiMessage a -> {
          List<Content> blocks = new ArrayList<>();
          if (a.text() != null && !a.text().isEmpty()) {
            blocks.add(new Content.Text(a.text()));
          }
          for (ToolExecutionRequest call : a.toolExecutionRequests()) {
            blocks.add(new Content.ToolCall(call.id(), call.name(), call.arguments() == null ? "{}" : call.arguments()));
          }
          out.add(new Message("assistant", blocks));
        }
        case ToolExecutionResultMessage r -> {
          Content result = new Content.ToolResult(r.id(), r.text(), Boolean.TRUE.equals(r.isError()));
          // The results of one turn's calls travel together, in one user message.
          Message last = out.isEmpty() ? null : out.get(out.size() - 1);
          if (last != null && last.role().equals("user") && !last.blocks(Content.ToolResult.class).isEmpty()
              && last.blocks(Content.ToolResult.class).size() == last.content().size()) {
            List<Content> joined = new ArrayList<>(last.content());
            joined.add(result);
            out.set(out.size() - 1, new Message("user", joined));
          } else {
            out.add(new Message("user", List.of(result)));
          }
        }
        default -> throw new UnsupportedOperationException("Effort does not take a " + m.type() + " message;"
            + " accepted: SYSTEM, USER, AI, TOOL_EXECUTION_RESULT");
      }
    }
    return out;
  }

  private static Content content(dev.langchain4j.data.message.Content c) {
    return switch (c) {
      case TextContent t -> new Content.Text(t.text());
      case ImageContent i -> image(i.image());
      default -> throw new UnsupportedOperationException("Effort does not take " + c.type() + " content; accepted:"
          + " TEXT, IMAGE");
    };
  }

  private static Content image(Image image) {
    if (image.url() != null) {
      return Content.Image.at(image.url().toString());
    }
    return Content.Image.inline(image.mimeType() == null ? "image/png" : image.mimeType(), image.base64Data());
  }

  private static Tools tools(ChatRequestParameters p) {
    List<ToolSpecification> specs = p.toolSpecifications() == null ? List.of() : p.toolSpecifications();
    if (specs.isEmpty()) {
      return Tools.NONE;
    }
    List<Tool> offered = new ArrayList<>();
    for (ToolSpecification spec : specs) {
      ObjectNode schema = spec.parameters() == null
          ? Json.MAPPER.createObjectNode().put("type", "object").set("properties", Json.MAPPER.createObjectNode())
          : Json.MAPPER.valueToTree(JsonSchemaElementUtils.toMap(spec.parameters()));
      offered.add(new Tool.Function(spec.name(), spec.description() == null ? "" : spec.description(), schema,
          Optional.ofNullable(spec.strict()), null));
    }
    Optional<ToolChoice> choice = p.toolChoice() == null ? Optional.empty() : Optional.of(switch (p.toolChoice()) {
      case AUTO -> ToolChoice.of(ToolChoice.Mode.AUTO);
      case REQUIRED -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
      case NONE -> ToolChoice.of(ToolChoice.Mode.NONE);
    });
    return new Tools(offered, choice, Optional.empty());
  }

  /** The response: text, thinking and tool calls; usage, finish reason, the answering model; the trace in the metadata. */
  static ChatResponse response(Answer answer) {
    List<ToolExecutionRequest> calls = answer.toolCalls().stream()
        .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build())
        .toList();
    AiMessage.Builder message = AiMessage.builder().toolExecutionRequests(calls);
    if (!answer.text().isEmpty() || calls.isEmpty()) {
      message.text(answer.text());
    }
    if (!answer.thinking().isEmpty()) {
      message.thinking(answer.thinking());
    }
    return ChatResponse.builder()
        .aiMessage(message.build())
        .metadata(EffortResponseMetadata.builder()
            .answer(answer)
            .modelName(answer.model())
            .tokenUsage(tokenUsage(answer))
            .finishReason(finishReason(answer.stopReason()))
            .build())
        .build();
  }

  /** Output tokens with thinking counted in, as the upstreams bill them. */
  static TokenUsage tokenUsage(Answer answer) {
    var u = answer.usage();
    return new TokenUsage(Math.toIntExact(u.inputTokens()), Math.toIntExact(u.outputTokens() + u.thinkingTokens()));
  }

  static FinishReason finishReason(StopReason reason) {
    return switch (reason) {
      case END_TURN, STOP_SEQUENCE, PAUSE_TURN -> FinishReason.STOP;
      case MAX_TOKENS -> FinishReason.LENGTH;
      case TOOL_USE -> FinishReason.TOOL_EXECUTION;
      case REFUSAL -> FinishReason.CONTENT_FILTER;
    };
  }
}
