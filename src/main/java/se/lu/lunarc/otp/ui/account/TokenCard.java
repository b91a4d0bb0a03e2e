package se.lu.lunarc.otp.ui.account;

import se.lu.lunarc.otp.app.Flow;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.ui.WizardState;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/** One token: name and status, and under "More" its dates and the actions its status allows. */
final class TokenCard extends VBox {
    /** What the card's buttons ask the account screen to do. */
    interface Actions {
        void chosen(Flow.TokenAction action, Token t);
    }

    TokenCard(Token t, ResourceBundle rb, Locale locale, Actions actions) {
        getStyleClass().addAll("token-card", "status-" + t.status());
        setSpacing(6);
        setPadding(new Insets(10));
        setId("token-" + t.id());
        Label name = new Label(t.name());
        name.getStyleClass().add("token-name");
        Label status = new Label(rb.getString("status." + t.status()));
        status.getStyleClass().addAll("token-status", "status-" + t.status());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(10, name, spacer, status);
        top.setAlignment(Pos.CENTER_LEFT);
        setAccessibleText(t.name() + ", " + rb.getString("status." + t.status()));

        DateTimeFormatter fmt = WizardState.dateTimeFormat(locale);
        GridPane dates = new GridPane();
        dates.setHgap(12);
        dates.setVgap(4);
        row(dates, 0, rb.getString("token.start"), t.created(), fmt, rb);
        row(dates, 1, rb.getString("token.expires"), t.expires(), fmt, rb);
        row(dates, 2, rb.getString("token.activated"), t.activated(), fmt, rb);
        row(dates, 3, rb.getString("token.lastLogin"), t.lastUsed(), fmt, rb);

        FlowPane buttons = new FlowPane(8, 8);
        for (Flow.TokenAction a : Flow.actions(t.status())) {
            buttons.getChildren().add(button(rb, a.key, t, chosen -> actions.chosen(a, chosen)));
        }
        // the dates show at once, as on the web portal; the actions stay one click away under More
        VBox more = new VBox(8, buttons);
        if ("pending".equals(t.status())) {
            Label hint = new Label(rb.getString("token.pendingHint"));
            hint.setWrapText(true);
            more.getChildren().add(0, hint);
        }
        TitledPane morePane = new TitledPane(rb.getString("token.more"), more);
        morePane.setAnimated(false); // animations crawl on a software-rendered remote desktop
        morePane.setExpanded("pending".equals(t.status()));
        morePane.setAccessibleText(rb.getString("token.more") + ": " + t.name());
        dates.getStyleClass().add("token-dates");
        getChildren().addAll(top, dates, morePane);
        if (t.replayedAt() != null) {
            // a code presented twice: someone else may have seen it (ASVS 2.8.5)
            Label replayed = new Label(java.text.MessageFormat.format(rb.getString("token.replayed"),
                    fmt.format(t.replayedAt())));
            replayed.setWrapText(true);
            replayed.getStyleClass().add("token-warning");
            replayed.setId("replayed-" + t.id());
            getChildren().add(1, replayed);
        }
    }

    private static void row(GridPane grid, int row, String label, Instant value, DateTimeFormatter fmt,
                            ResourceBundle rb) {
        grid.add(new Label(label), 0, row);
        grid.add(new Label(Flow.date(value, fmt, rb)), 1, row);
    }

    private static Button button(ResourceBundle rb, String key, Token t, Consumer<Token> action) {
        Button b = new Button(rb.getString(key));
        b.setMnemonicParsing(true);
        b.setAccessibleText(rb.getString(key).replace("_", "") + ": " + t.name());
        b.getStyleClass().add(key.replace('.', '-'));
        b.setOnAction(e -> action.accept(t));
        return b;
    }
}
