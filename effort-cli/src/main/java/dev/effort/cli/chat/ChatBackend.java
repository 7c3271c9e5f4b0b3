package dev.effort.cli.chat;

import dev.effort.core.Ask;
import dev.effort.core.Deltas;
import dev.effort.core.Effort;
import java.util.Optional;

/** Where the chat's answers come from: the planner and executor in process, or a running gateway. */
public interface ChatBackend {

  /** What answers, said when the chat starts. */
  String description();

  /**
   * The level of a message when neither the session nor the message chose one; empty when the
   * backend decides that per message (a gateway, by its config and the key).
   */
  Optional<Effort> defaultEffort();

  /**
   * The model id that {@code /model NAME} pins.
   *
   * @throws RuntimeException whose message names the accepted names, when none matches
   */
  String pinnable(String name);

  /** The recorded prompts, when the answers come from the recording (replay in process). */
  Optional<RecordedPrompts> recorded();

  /**
   * Answers the ask, streaming its thinking and text to {@code deltas}. Interrupting the calling
   * thread cancels the upstream call.
   *
   * @param levelChosen whether the user chose the ask's level (else the backend's default applies,
   *     which a gateway knows per key)
   * @throws RuntimeException whose message says what went wrong
   */
  ChatReply answer(Ask ask, boolean levelChosen, Deltas deltas);
}
