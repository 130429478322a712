#include "contract/YamlToJson.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cmath>
#include <limits>
#include <istream>
#include <streambuf>
#include <string>

using namespace Qt::StringLiterals;

namespace {
QString where(const YAML::Mark &mark)
{
    if (mark.is_null())
        return {};
    return u"line %1, column %2: "_s.arg(mark.line + 1).arg(mark.column + 1);
}

// Lets yaml-cpp read the text where it is: an istringstream would hold two more copies of it.
class TextBuffer final : public std::streambuf
{
public:
    explicit TextBuffer(const QByteArray &text)
    {
        char *begin = const_cast<char *>(text.constData()); // only ever read: a get area needs char *
        setg(begin, begin, begin + text.size());
    }
};

// Builds the tree from yaml-cpp's events. It never throws: past a limit it records the problem and
// ignores the rest of the events (the parser itself is linear in the text and never expands aliases).
class TreeBuilder final : public YAML::EventHandler
{
public:
    explicit TreeBuilder(const YamlToJson::Limits &limits)
        : m_limits(limits)
    {
    }

    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    bool done() const { return m_done; }
    QJsonValue result() const { return m_result; }

    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override { m_done = true; }

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override { leaf(mark, anchor, QJsonValue(QJsonValue::Null)); }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        if (failed() || m_done)
            return;
        const auto found = m_anchors.constFind(anchor);
        if (found == m_anchors.constEnd()) {
            fail(mark, u"an alias refers to a node that contains it (a recursive alias)"_s);
            return;
        }
        // The expanded size is what a reader of the tree pays, so that is what the budget counts.
        if (!spend(mark, found->cost))
            return;
        if (m_stack.size() + found->depth > m_limits.maxDepth) {
            fail(mark, u"nested deeper than %1 levels"_s.arg(m_limits.maxDepth));
            return;
        }
        attach(mark, found->value, found->cost, found->depth, 0);
    }

    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor, const std::string &value) override
    {
        const QString text = QString::fromStdString(value);
        // "!" is a quoted scalar (or the non-specific tag): always a string, as is an explicit !!str.
        const bool isString = tag == "!" || tag == "tag:yaml.org,2002:str";
        leaf(mark, anchor, isString ? QJsonValue(text) : YamlToJson::plainScalar(text));
    }

    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
    {
        open(mark, anchor, false);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
    {
        open(mark, anchor, true);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame
    {
        bool isMap = false;
        YAML::anchor_t anchor = 0;
        YAML::Mark mark;
        QJsonArray array;
        QJsonObject object;
        std::optional<QString> key; // a map's key waiting for its value
        QSet<QString> mergedKeys;   // set by a "<<" merge key: a key of the mapping's own may replace them
        qint64 cost = 1;            // nodes inside, aliases expanded
        int depth = 1;              // levels inside, this one included
    };
    struct Anchored
    {
        QJsonValue value;
        qint64 cost = 1;
        int depth = 0;
    };

    void fail(const YAML::Mark &mark, const QString &what)
    {
        if (!failed())
            m_error = where(mark) + what;
    }

    bool spend(const YAML::Mark &mark, qint64 cost)
    {
        m_nodes += cost;
        if (m_nodes > m_limits.maxNodes) {
            fail(mark, u"more than %L1 nodes once its aliases are expanded (an alias bomb?)"_s.arg(m_limits.maxNodes));
            return false;
        }
        return true;
    }

    void leaf(const YAML::Mark &mark, YAML::anchor_t anchor, const QJsonValue &value)
    {
        if (failed() || m_done || !spend(mark, 1))
            return;
        attach(mark, value, 1, 0, anchor);
    }

    void open(const YAML::Mark &mark, YAML::anchor_t anchor, bool isMap)
    {
        if (failed() || m_done || !spend(mark, 1))
            return;
        if (m_stack.size() >= m_limits.maxDepth) {
            fail(mark, u"nested deeper than %1 levels"_s.arg(m_limits.maxDepth));
            return;
        }
        Frame frame;
        frame.isMap = isMap;
        frame.anchor = anchor;
        frame.mark = mark;
        m_stack.append(std::move(frame));
    }

    void close()
    {
        if (failed() || m_done || m_stack.isEmpty())
            return;
        Frame frame = m_stack.takeLast();
        if (frame.isMap && frame.key) {
            fail(frame.mark, u"a mapping key has no value"_s);
            return;
        }
        const QJsonValue value = frame.isMap ? QJsonValue(frame.object) : QJsonValue(frame.array);
        attach(frame.mark, value, frame.cost, frame.depth, frame.anchor);
    }

    // Places a finished node in its parent (or as the result), and remembers it under its anchor.
    void attach(const YAML::Mark &mark, const QJsonValue &value, qint64 cost, int depth, YAML::anchor_t anchor)
    {
        if (anchor != 0)
            m_anchors.insert(anchor, Anchored{value, cost, depth});
        if (m_stack.isEmpty()) {
            m_result = value;
            return;
        }
        Frame &parent = m_stack.last();
        parent.cost += cost;
        parent.depth = std::max(parent.depth, depth + 1);
        if (!parent.isMap) {
            parent.array.append(value);
            return;
        }
        if (!parent.key) {
            if (value.isObject() || value.isArray()) {
                fail(mark, u"a mapping key is itself a mapping or a sequence, which JSON cannot hold"_s);
                return;
            }
            parent.key = value.isString() ? value.toString() : value.isNull() ? u"null"_s : value.toVariant().toString();
            return;
        }
        const QString key = *parent.key;
        parent.key.reset();
        if (key == u"<<"_s && (value.isObject() || value.isArray())) {
            merge(&parent, value);
            return;
        }
        if (parent.mergedKeys.remove(key)) {
            parent.object.insert(key, value);
            return;
        }
        if (parent.object.contains(key)) {
            fail(mark, u"the key \"%1\" appears twice in one mapping"_s.arg(key.left(80)));
            return;
        }
        parent.object.insert(key, value);
    }

    // YAML 1.1's merge key: the members of the mapping(s) not already set.
    static void merge(Frame *target, const QJsonValue &source)
    {
        const QJsonArray sources = source.isArray() ? source.toArray() : QJsonArray{source};
        for (const QJsonValue &one : sources) {
            const QJsonObject members = one.toObject();
            for (auto it = members.begin(); it != members.end(); ++it) {
                if (!target->object.contains(it.key())) {
                    target->object.insert(it.key(), it.value());
                    target->mergedKeys.insert(it.key());
                }
            }
        }
    }

    const YamlToJson::Limits m_limits;
    QList<Frame> m_stack;
    QHash<YAML::anchor_t, Anchored> m_anchors;
    QJsonValue m_result;
    QString m_error;
    qint64 m_nodes = 0;
    bool m_done = false;
};
} // namespace

QJsonValue YamlToJson::plainScalar(const QString &text)
{
    static const QRegularExpression integer(u"^[-+]?[0-9]+$"_s);
    static const QRegularExpression octal(u"^0o[0-7]+$"_s);
    static const QRegularExpression hex(u"^0x[0-9a-fA-F]+$"_s);
    static const QRegularExpression floating(u"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"_s);
    if (text.isEmpty() || text == u"~"_s || text == u"null"_s || text == u"Null"_s || text == u"NULL"_s)
        return QJsonValue(QJsonValue::Null);
    if (text == u"true"_s || text == u"True"_s || text == u"TRUE"_s)
        return true;
    if (text == u"false"_s || text == u"False"_s || text == u"FALSE"_s)
        return false;
    const QChar first = text.front();
    if (!first.isDigit() && first != u'-' && first != u'+' && first != u'.')
        return text;
    bool ok = false;
    if (integer.match(text).hasMatch()) {
        const qlonglong n = text.toLongLong(&ok);
        if (ok)
            return QJsonValue(n);
        return text.toDouble();
    }
    if (octal.match(text).hasMatch())
        return QJsonValue(text.mid(2).toLongLong(&ok, 8));
    if (hex.match(text).hasMatch())
        return QJsonValue(text.mid(2).toLongLong(&ok, 16));
    if (floating.match(text).hasMatch())
        return text.toDouble();
    // .inf and .nan have no JSON form: kept as the text they are.
    return text;
}

int YamlToJson::flowDepth(const QByteArray &yaml, int limit, int *line)
{
    const char *text = yaml.constData();
    const qsizetype size = yaml.size();
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    int depth = 0;
    int lineNumber = 1;
    qsizetype lineStart = 0;
    bool tokenStart = true; // where a flow collection, a quoted scalar or a block scalar may begin
    for (qsizetype i = 0; i < size; ++i) {
        const char c = text[i];
        const char next = i + 1 < size ? text[i + 1] : '\n';
        if (c == '\n') {
            ++lineNumber;
            lineStart = i + 1;
            tokenStart = true;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        if (c == '#' && (i == 0 || isSpace(text[i - 1]))) {
            while (i + 1 < size && text[i + 1] != '\n')
                ++i;
            continue;
        }
        if (tokenStart && (c == '"' || c == '\'')) {
            for (++i; i < size; ++i) {
                if (text[i] == '\n') {
                    ++lineNumber;
                    lineStart = i + 1;
                } else if (c == '"' && text[i] == '\\') {
                    if (i + 1 < size && text[i + 1] == '\n') {
                        ++lineNumber;
                        lineStart = i + 2;
                    }
                    ++i;
                } else if (text[i] == c) {
                    if (c == '\'' && i + 1 < size && text[i + 1] == '\'')
                        ++i; // '' is a quote inside a single-quoted scalar
                    else
                        break;
                }
            }
            tokenStart = false;
            continue;
        }
        if (tokenStart && depth == 0 && (c == '|' || c == '>')) {
            // A block scalar: every following line indented deeper than this one (or blank) is text.
            qsizetype indent = 0;
            while (lineStart + indent < size && text[lineStart + indent] == ' ')
                ++indent;
            while (i < size && text[i] != '\n')
                ++i;
            while (i + 1 < size) {
                qsizetype j = i + 1;
                qsizetype spaces = 0;
                while (j < size && text[j] == ' ') {
                    ++j;
                    ++spaces;
                }
                const bool blank = j >= size || text[j] == '\n' || text[j] == '\r';
                if (!blank && spaces <= indent)
                    break;
                while (j < size && text[j] != '\n')
                    ++j;
                ++lineNumber;
                lineStart = i + 1;
                i = j;
            }
            continue;
        }
        if ((c == '[' || c == '{') && (tokenStart || depth > 0)) {
            if (++depth > limit) {
                if (line)
                    *line = lineNumber;
                return limit + 1;
            }
            tokenStart = true;
            continue;
        }
        if ((c == ']' || c == '}') && depth > 0) {
            --depth;
            tokenStart = false;
            continue;
        }
        if ((c == ',' && depth > 0) || ((c == ':' || c == '-' || c == '?') && (isSpace(next) || depth > 0))) {
            tokenStart = true;
            continue;
        }
        tokenStart = false;
    }
    return depth;
}

std::optional<QJsonValue> YamlToJson::convert(const QByteArray &yaml, QString *error, const Limits &limits)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (yaml.size() > limits.maxBytes)
        return refuse(u"the YAML text is larger than %L1 bytes"_s.arg(limits.maxBytes));
    if (int line = 0; flowDepth(yaml, limits.maxDepth, &line) > limits.maxDepth)
        return refuse(u"line %1: nested deeper than %2 levels"_s.arg(line).arg(limits.maxDepth));
    TreeBuilder builder(limits);
    // yaml-cpp reports malformed text with exceptions; they end here, as values. Its parser guards
    // its own recursion (YAML::DeepRecursion at 2000 levels), so deep nesting cannot overflow the stack.
    try {
        TextBuffer buffer(yaml);
        std::istream stream(&buffer);
        YAML::Parser parser(stream);
        if (!parser.HandleNextDocument(builder))
            return refuse(u"the YAML text holds no document"_s);
    } catch (const YAML::DeepRecursion &e) {
        return refuse(where(e.mark) + u"nested too deeply"_s);
    } catch (const YAML::Exception &e) {
        return refuse(where(e.mark) + QString::fromStdString(e.msg));
    } catch (const std::exception &e) {
        return refuse(u"the YAML text cannot be read: %1"_s.arg(QString::fromLocal8Bit(e.what())));
    }
    if (builder.failed())
        return refuse(builder.error());
    if (!builder.done())
        return refuse(u"the YAML document is incomplete"_s);
    return builder.result();
}
