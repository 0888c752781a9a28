package com.invoicehub.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.invoicehub.ingest.channels.DeadLetters;

/** The SQS dead-letter queue: each message with its reason; ops redrive or discard (audited by DeadLetters). */
@Controller
class DeadLetterPage {

    private static final int SHOWN = 50;

    private final DeadLetters deadLetters;

    DeadLetterPage(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping("/console/dead-letters")
    String list(Model model) {
        model.addAttribute("letters", deadLetters.list(SHOWN));
        model.addAttribute("count", deadLetters.count());
        return "console/dead-letters";
    }

    @PostMapping("/console/dead-letters/{id}/redrive")
    String redrive(@PathVariable String id, RedirectAttributes redirect) {
        deadLetters.redrive(id);
        redirect.addFlashAttribute("notice", "Message " + id + " is back on the queue.");
        return "redirect:/console/dead-letters";
    }

    @PostMapping("/console/dead-letters/{id}/discard")
    String discard(@PathVariable String id, RedirectAttributes redirect) {
        deadLetters.discard(id);
        redirect.addFlashAttribute("notice", "Message " + id + " discarded.");
        return "redirect:/console/dead-letters";
    }

    @PostMapping("/console/dead-letters/redrive")
    String redriveAll(RedirectAttributes redirect) {
        redirect.addFlashAttribute("notice", deadLetters.redriveAll() + " messages are back on the queue.");
        return "redirect:/console/dead-letters";
    }
}
